/**
 * The page's Content-Security-Policy allows connections only to some
 * origins (`connect-src`). A run-time API endpoint outside them would fail
 * as a mysterious network error, so Settings checks first.
 */

/** The `connect-src` sources of a policy, or null when the policy does not restrict connections. */
export function connectSources(policy: string | null | undefined): string[] | null {
  if (!policy) return null;
  const directives = policy.split(';').map((part) => part.trim().split(/\s+/));
  const connect = directives.find(([name]) => name?.toLowerCase() === 'connect-src') ?? directives.find(([name]) => name?.toLowerCase() === 'default-src');
  return connect ? connect.slice(1) : null;
}

/** Whether a request to `url` is allowed by these sources ('self' is the page's origin; a source ending in '/' is a path prefix). */
export function connectionAllowed(url: string, sources: string[] | null, pageOrigin: string): boolean {
  if (sources === null) return true;
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  const withSlash = `${target.origin}${target.pathname.endsWith('/') ? target.pathname : `${target.pathname}/`}`;
  return sources.some((source) => {
    if (source === "'self'") return target.origin === pageOrigin;
    if (source === '*') return true;
    if (source.endsWith('/')) return withSlash.startsWith(source);
    try {
      const allowed = new URL(source);
      return allowed.pathname === '/' ? allowed.origin === target.origin : target.href.replace(/\/+$/, '') === allowed.href.replace(/\/+$/, '');
    } catch {
      return false;
    }
  });
}
