import type { Plugin } from 'vite';

/**
 * The console's Content-Security-Policy: no inline script and no eval, and connections only to this origin and
 * the build's configured API base. Compiling WebAssembly is allowed ('wasm-unsafe-eval' permits no JavaScript
 * eval): hash-wasm compiles its SHA-256 in the page when no Web Worker can run it. React sets `style` through the
 * CSSOM, which style-src does not govern, so the built stylesheet from 'self' is all styles need.
 */
export function contentSecurityPolicy(apiBase: string): string {
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
    `connect-src ${connect.join(' ')}`,
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
}

/** An http(s) base with no character that could end the CSP's source list or the meta tag's attribute. */
const SAFE_BASE = /^https?:\/\/[A-Za-z0-9.:[\]-]+(\/[A-Za-z0-9._~%/-]*)?$/;

/**
 * Writes the policy into index.html as a <meta http-equiv> right after the charset, before any script or
 * stylesheet, on build (production and demo), so any static host serves it. Not on the dev server: Vite's dev
 * page needs an inline script for React Fast Refresh.
 */
export function contentSecurityPolicyPlugin(): Plugin {
  let apiBase = '';
  return {
    name: 'novapulse-content-security-policy',
    apply: 'build',
    configResolved(config) {
      const configured = config.env.VITE_NOVAPULSE_API_BASE;
      apiBase = typeof configured === 'string' ? configured.trim() : '';
      if (apiBase && !SAFE_BASE.test(apiBase)) throw new Error(`VITE_NOVAPULSE_API_BASE is no http(s) URL usable in a CSP: ${apiBase}`);
    },
    transformIndexHtml: {
      order: 'post',
      handler(html) {
        const charset = /<meta charset="UTF-8" \/>\n?/i.exec(html);
        if (!charset) throw new Error('index.html has no <meta charset="UTF-8" /> to put the Content-Security-Policy after');
        const at = charset.index + charset[0].length;
        const meta = `    <meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(apiBase)}" />\n`;
        return html.slice(0, at) + meta + html.slice(at);
      },
    },
  };
}
