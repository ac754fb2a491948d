import type { AppConfig } from './env';

/** The same shape of base the build and `npm run configure` accept: an http(s) origin with an optional path. */
const API_BASE = /^https?:\/\/[A-Za-z0-9.:[\]-]+(\/[A-Za-z0-9._~%/-]*)?$/;

/**
 * What is wrong with the file's content, none when it is usable. Checked by hand rather than with zod: this runs
 * before the first render, in the first page's JavaScript, which has a budget. Strict: a misspelt field
 * ("apiBaseUrl") would otherwise be ignored, and the console would quietly call the build's default.
 */
function problemsOf(raw: unknown): string[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return ['the file must be a JSON object'];
  const fields = raw as Record<string, unknown>;
  const problems: string[] = [];
  if (!('apiBase' in fields)) problems.push('"apiBase" is missing');
  else if (typeof fields.apiBase !== 'string') problems.push('"apiBase" must be a string');
  else if (fields.apiBase.trim() !== '' && !API_BASE.test(fields.apiBase.trim())) {
    problems.push('"apiBase" must be "" (the console\'s own origin) or an http(s) URL such as "https://api.novapulse.example"');
  }
  const unknown = Object.keys(fields).filter((key) => key !== 'apiBase');
  if (unknown.length > 0) problems.push(`unknown field${unknown.length === 1 ? '' : 's'} ${unknown.map((key) => `"${key}"`).join(', ')} (the fields are: "apiBase")`);
  return problems;
}

export type DeploymentConfig = { kind: 'ready'; config: AppConfig; source: 'config.json' | 'build' } | { kind: 'invalid'; problem: string };

/**
 * The deployment's config.json, beside index.html (written by `npm run configure`): one built console serves any
 * environment. No file means the build's own default (VITE_NOVAPULSE_API_BASE). A static host that answers every
 * unknown path with index.html (a single-page-app fallback) has no file either. A file that is there but wrong
 * stops the console with the reason, rather than calling an API the admin did not mean.
 */
export async function loadDeploymentConfig(buildConfig: AppConfig, url: string, fetchImpl: typeof fetch = fetch): Promise<DeploymentConfig> {
  let response: Response;
  try {
    response = await fetchImpl(url, { cache: 'no-store', headers: { Accept: 'application/json' } });
  } catch (error) {
    return { kind: 'invalid', problem: `config.json could not be loaded (${error instanceof Error ? error.message : String(error)}). Check the connection and reload.` };
  }
  if (response.status === 404 || response.status === 410) return { kind: 'ready', config: buildConfig, source: 'build' };
  if (!response.ok) return { kind: 'invalid', problem: `config.json could not be read: the server answered HTTP ${response.status}.` };
  if ((response.headers.get('content-type') ?? '').includes('text/html')) return { kind: 'ready', config: buildConfig, source: 'build' };
  const text = await response.text();
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { kind: 'invalid', problem: `config.json is not valid JSON (${error instanceof Error ? error.message : String(error)}).` };
  }
  const problems = problemsOf(raw);
  if (problems.length > 0) return { kind: 'invalid', problem: `config.json is not valid: ${problems.join('; ')}.` };
  return { kind: 'ready', config: { ...buildConfig, apiBase: String((raw as { apiBase: string }).apiBase).trim().replace(/\/+$/, '') }, source: 'config.json' };
}
