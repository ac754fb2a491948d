import type { AliasOptions } from 'vite';

/**
 * Preact's compat layer in place of React and react-dom (issue 16: the first page's size; docs/decisions.md has the
 * measured table). Every config that builds or tests the console uses these, so the tests run the renderer that ships.
 */
export const preactCompatAliases: AliasOptions = [
  { find: /^react-dom\/test-utils$/, replacement: 'preact/test-utils' },
  { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
  // compat's JSX runtime, not preact's own: it maps React's props (onChange on a text field is Preact's onInput).
  { find: /^react\/jsx-runtime$/, replacement: 'preact/compat/jsx-runtime' },
  { find: /^react\/jsx-dev-runtime$/, replacement: 'preact/compat/jsx-dev-runtime' },
  { find: /^react-dom\/server$/, replacement: 'preact/compat/server' },
  { find: /^(react|react-dom)$/, replacement: 'preact/compat' },
];

const commonJsUsingReact = ['use-sync-external-store/shim/with-selector'];

/**
 * Vitest's part. Node would load the libraries that import React (and, through them, the real React) itself; they are
 * run through Vite instead so the aliases reach them. Preact stays Node's, one copy that survives `vi.resetModules()`
 * (the App tests' page reload), as React did.
 */
export const preactCompatTest = {
  // Testing Library's main file is CommonJS, whose require() no alias reaches: its ES module build instead.
  alias: [{ find: /^@testing-library\/react$/, replacement: '@testing-library/react/dist/@testing-library/react.esm.js' }],
  server: { deps: { inline: [/@tanstack\/react-/, /@testing-library\/react/, /zustand/, /node_modules\/\.vite\/vitest\//] } },
  // use-sync-external-store (the router's store) is CommonJS too: bundled into an ES module by Vitest, then run as above.
  deps: {
    optimizer: {
      client: { enabled: true, include: commonJsUsingReact },
      ssr: { enabled: true, include: commonJsUsingReact },
    },
  },
};
