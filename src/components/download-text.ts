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
  // Released a little later, not at once: some browsers start reading the URL only after the click has returned.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
