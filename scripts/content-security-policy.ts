import type { Plugin } from 'vite';
import { contentSecurityPolicyMeta, SAFE_BASE } from './content-security-policy-rule.mjs';

/**
 * Writes the policy into index.html as a <meta http-equiv> right after the charset, before any script or
 * stylesheet, on build (production and demo), so any static host serves it. Not on the dev server: Vite's dev
 * page needs an inline script for React Fast Refresh. `npm run configure` rewrites it for another API base.
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
        return `${html.slice(0, at)}    ${contentSecurityPolicyMeta(apiBase)}\n${html.slice(at)}`;
      },
    },
  };
}
