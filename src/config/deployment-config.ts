import { z } from 'zod/mini';
import type { AppConfig } from './env';

/** The same shape of base the build and `npm run configure` accept: an http(s) origin with an optional path. */
const API_BASE = /^https?:\/\/[A-Za-z0-9.:[\]-]+(\/[A-Za-z0-9._~%/-]*)?$/;

// Strict: a misspelt field ("apiBaseUrl") would otherwise be ignored, and the console would quietly call the build's default.
const deploymentSchema = z.strictObject({
  apiBase: z.string().check(
    z.refine(
      (value) => value.trim() === '' || API_BASE.test(value.trim()),
      'must be "" (the console\'s own origin) or an http(s) URL such as "https://api.novapulse.example"',
    ),
  ),
});

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
  const parsed = deploymentSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => {
      if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((key) => `"${key}"`).join(', ')} (the fields are: "apiBase")`;
      const field = issue.path.length > 0 ? `"${issue.path.join('.')}"` : 'the file';
      if (issue.code === 'invalid_type') return `${field} ${issue.path.length > 0 && issue.input === undefined ? 'is missing' : `must be ${issue.expected === 'object' ? 'a JSON object' : `a ${issue.expected}`}`}`;
      return `${field} ${issue.message}`;
    });
    return { kind: 'invalid', problem: `config.json is not valid: ${issues.join('; ')}.` };
  }
  return { kind: 'ready', config: { ...buildConfig, apiBase: parsed.data.apiBase.trim().replace(/\/+$/, '') }, source: 'config.json' };
}
