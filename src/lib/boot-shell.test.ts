// @vitest-environment jsdom
import { removeShellWhenAppShows } from './boot-shell';

function page() {
  document.body.innerHTML = '<div id="boot-shell"><header>NovaPulse Console</header></div><div id="root"></div>';
  return { shell: document.getElementById('boot-shell')!, root: document.getElementById('root')! };
}

/** MutationObserver callbacks run as a microtask after the change. */
const afterMutations = () => new Promise((resolve) => queueMicrotask(() => resolve(undefined)));

describe('removeShellWhenAppShows', () => {
  it('keeps the shell while the app has drawn nothing, and removes it with the app\'s first element', async () => {
    const { shell, root } = page();
    removeShellWhenAppShows(root, shell);
    root.append(document.createTextNode(''));
    await afterMutations();
    expect(document.getElementById('boot-shell')).not.toBeNull();

    root.append(document.createElement('header'));
    await afterMutations();
    expect(document.getElementById('boot-shell')).toBeNull();
    expect(root.childElementCount).toBe(1);
  });

  it('removes the shell at once when the app is already there, and does nothing without a shell', () => {
    const { shell, root } = page();
    root.append(document.createElement('main'));
    removeShellWhenAppShows(root, shell);
    expect(document.getElementById('boot-shell')).toBeNull();
    expect(() => removeShellWhenAppShows(root, null)()).not.toThrow();
  });

  it('leaves the shell once stopped', async () => {
    const { shell, root } = page();
    removeShellWhenAppShows(root, shell)();
    root.append(document.createElement('main'));
    await afterMutations();
    expect(document.getElementById('boot-shell')).not.toBeNull();
  });
});
