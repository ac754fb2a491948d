/** Saves text as a file: a Blob behind an object URL, clicked through a detached link, then released. */
export function downloadText(fileName: string, text: string, mimeType: string) {
  const url = URL.createObjectURL(new Blob([text], { type: mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // Released on the next turn: the download has taken the URL by then.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
