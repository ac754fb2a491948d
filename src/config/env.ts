import { z } from 'zod/mini';

const envSchema = z.object({
  VITE_DEMO: z._default(z.enum(['true', 'false']), 'false'),
  VITE_NOVAPULSE_API_BASE: z._default(
    z.string().check(z.refine((value) => value === '' || /^https?:\/\//.test(value), 'VITE_NOVAPULSE_API_BASE must be empty or an http(s) URL')),
    '',
  ),
});

export interface AppConfig {
  demo: boolean;
  /** Base URL of the NovaPulse API; empty means this page's own origin. */
  apiBase: string;
}

export function parseConfig(env: Record<string, unknown>): AppConfig {
  const parsed = envSchema.parse(env);
  return { demo: parsed.VITE_DEMO === 'true', apiBase: parsed.VITE_NOVAPULSE_API_BASE.replace(/\/+$/, '') };
}
