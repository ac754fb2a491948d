// Builds the production console and proves the simulator is not in it; prints the bundle size.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit', env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' } });
if (build.status !== 0) process.exit(build.status ?? 1);

// Literals that only simulator or MSW code contains (they survive minification).
const MARKERS = ['DemoKeyForNovaPulseConsole', 'acc_demo', 'retired integration', 'mockServiceWorker', '[MSW]', 'scheduled maintenance'];

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

let failed = false;
let jsRaw = 0;
let jsGzip = 0;
for (const file of files('dist')) {
  const content = readFileSync(file);
  const text = content.toString('utf8');
  for (const marker of MARKERS) {
    if (text.includes(marker)) {
      console.error(`dist contains simulator code: "${marker}" in ${file}`);
      failed = true;
    }
  }
  if (file.endsWith('.js')) {
    jsRaw += content.length;
    jsGzip += gzipSync(content).length;
  }
}
if (failed) process.exit(1);
console.log(`Production build is simulator-free. JavaScript: ${(jsRaw / 1024).toFixed(1)} KB, ${(jsGzip / 1024).toFixed(1)} KB gzipped.`);
