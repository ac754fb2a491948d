// Runs the Playwright suite after making sure a Chromium is there; says exactly what to do when none is.
import { spawnSync } from 'node:child_process';
import { findChromium, NO_CHROMIUM_HELP } from './find-chromium.mjs';

let found = await findChromium();
if (!found) {
  console.log('No Chromium found; trying `npx playwright install chromium`...');
  spawnSync('npx', ['playwright', 'install', 'chromium'], { stdio: 'inherit' });
  found = await findChromium();
}
if (!found) {
  console.error(NO_CHROMIUM_HELP);
  process.exit(1);
}
console.log(`End-to-end tests use Chromium from ${found.source}${found.path ? ` (${found.path})` : ''}.`);
const result = spawnSync('npx', ['playwright', 'test', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
