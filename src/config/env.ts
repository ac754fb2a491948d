import { z } from 'zod';

const envSchema = z.object({
  VITE_DEMO: z.enum(['true', 'false']).default('false'),
  VITE_NOVAPULSE_API_BASE: z
    .string()
    .default('')
    .refine((value) => value === '' || /^https?:\/\//.test(value), 'VITE_NOVAPULSE_API_BASE must be empty or an http(s) URL'),
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
