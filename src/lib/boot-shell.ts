/**
 * Removes index.html's static first screen (`shell`) as soon as the app has put something of its own into `root`:
 * a MutationObserver's callback runs before the browser paints again, so the shell and the app's screen are never
 * drawn together, and nothing is blank between them (the app's first render may be empty while it starts).
 * Returns a stop, for a shell that should stay.
 */
export function removeShellWhenAppShows(root: Element, shell: Element | null): () => void {
  if (!shell) return () => {};
  const removeIfShown = () => {
    if (root.childElementCount === 0) return false;
    shell.remove();
    return true;
  };
  if (removeIfShown()) return () => {};
  const observer = new MutationObserver(() => {
    if (removeIfShown()) observer.disconnect();
  });
  observer.observe(root, { childList: true });
  return () => observer.disconnect();
}
