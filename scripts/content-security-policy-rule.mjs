// The console's Content-Security-Policy rule, shared by the build (content-security-policy.ts) and by
// `npm run configure` (configure.mjs), which rewrites a built page's policy for another API base.

/** An http(s) base with no character that could end the CSP's source list or the meta tag's attribute. */
export const SAFE_BASE = /^https?:\/\/[A-Za-z0-9.:[\]-]+(\/[A-Za-z0-9._~%/-]*)?$/;

/**
 * No inline script and no eval, and connections only to this origin and the configured API base. Compiling
 * WebAssembly is allowed ('wasm-unsafe-eval' permits no JavaScript eval): hash-wasm compiles its SHA-256 in the page
 * when no Web Worker can run it. React sets `style` through the CSSOM, which style-src does not govern, so the built
 * stylesheet from 'self' is all styles need. The job page plays a file this browser kept through an object URL it
 * made itself (blob:, this origin's only), so media may come from there.
 */
export function contentSecurityPolicy(apiBase) {
  const connect = ["'self'"];
  const base = apiBase.trim().replace(/\/+$/, '');
  // A source with a path ending in '/' matches that path prefix: requests only under the configured base.
  if (base) connect.push(`${base}/`);
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "media-src 'self' blob:",
    `connect-src ${connect.join(' ')}`,
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
}

/** The Content-Security-Policy meta tag as the build writes it. */
export const CSP_META = /<meta http-equiv="Content-Security-Policy" content="[^"]*" \/>/gi;

export function contentSecurityPolicyMeta(apiBase) {
  return `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(apiBase)}" />`;
}
