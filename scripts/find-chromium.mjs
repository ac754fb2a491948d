// Finds a Chromium for Playwright: an env override, a system Chromium, or Playwright's own download.
import { existsSync } from 'node:fs';

const SYSTEM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** @returns {{ path: string | undefined, source: string } | null} */
export async function findChromium() {
  for (const name of ['NOVAPULSE_CHROMIUM', 'CHROMIUM_PATH', 'PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH']) {
    const value = process.env[name];
    if (value) {
      if (existsSync(value)) return { path: value, source: `$${name}` };
      throw new Error(`$${name} points at ${value}, which does not exist.`);
    }
  }
  for (const candidate of SYSTEM_CANDIDATES) if (existsSync(candidate)) return { path: candidate, source: 'system' };
  try {
    const { chromium } = await import('playwright-core');
    const own = chromium.executablePath();
    if (own && existsSync(own)) return { path: undefined, source: "Playwright's own browser" };
  } catch {
    // playwright-core not resolvable: fall through
  }
  return null;
}

export const NO_CHROMIUM_HELP = [
  'No Chromium found for the end-to-end tests. Do one of these, then run the tests again:',
  '  - Debian/Ubuntu:   sudo apt-get install -y chromium',
  '  - with internet:   npx playwright install chromium',
  '  - or point NOVAPULSE_CHROMIUM at a Chromium or Chrome binary.',
].join('\n');
