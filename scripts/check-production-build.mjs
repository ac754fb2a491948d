// Builds the production console and proves, from the bundler's own module list, that no simulator (src/mocks)
// or MSW module is in it; first proves this check and the lint rules guarding the imports can fail. Prints the bundle size.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildWithModuleList, simulatorModulesIn } from './bundle-modules.mjs';
import { checkImportRules } from './check-import-rules.mjs';

const root = process.cwd();
let failed = false;
function fail(message) {
  console.error(message);
  failed = true;
}

/** Appends a static import of the simulator and of MSW to src/app/app.tsx, in memory only: the mistake the check exists for. */
const leakSimulatorFromApp = {
  name: 'self-test-leak-simulator-from-app',
  enforce: 'pre',
  transform(code, id) {
    if (!id.replace(/\\/g, '/').endsWith('/src/app/app.tsx')) return null;
    return `${code}\nimport { createDemoSimulator as __leakedSimulator } from '../mocks/core/demo';\nimport { http as __leakedMsw } from 'msw';\nglobalThis.__leak = [__leakedSimulator, __leakedMsw];\n`;
  },
};

// 0. The lint rules must reject a static import of the simulator from src/main.tsx and any from src/app.
{
  const { cases, problems } = checkImportRules(root);
  for (const problem of problems) fail(`Import-rule self-test: ${problem}`);
  if (problems.length === 0) console.log(`Self-test: the import rules judge all ${cases} sample imports as expected.`);
}

// 1. The check must see a static import of src/mocks from src/app, and MSW with it.
{
  const { chunks } = await buildWithModuleList({ root, outDir: 'node_modules/.cache/check-production-build/leak', write: false, plugins: [leakSimulatorFromApp] });
  const found = simulatorModulesIn(chunks, root).map((entry) => entry.module);
  const caught = found.includes('src/mocks/core/demo.ts') && found.some((module) => module.includes('node_modules/msw/'));
  if (!found.includes('src/mocks/core/demo.ts')) fail(`Self-test: a static import of src/mocks/core/demo.ts from src/app went unseen (found: ${found.join(', ') || 'nothing'}).`);
  if (!found.some((module) => module.includes('node_modules/msw/'))) fail(`Self-test: a static import of msw from src/app went unseen (found: ${found.join(', ') || 'nothing'}).`);
  if (caught) console.log(`Self-test: a static import of the simulator from src/app is caught (${found.length} simulator/MSW modules listed).`);
}

// 2. The demo build loads the simulator through the demo switch's dynamic import: its module list must show it.
{
  const { chunks } = await buildWithModuleList({ root, mode: 'demo', outDir: 'node_modules/.cache/check-production-build/demo', write: false });
  const found = simulatorModulesIn(chunks, root).map((entry) => entry.module);
  if (!found.includes('src/mocks/browser.ts')) fail(`Self-test: the demo build's simulator (src/mocks/browser.ts) is missing from its module list (found: ${found.join(', ') || 'nothing'}).`);
  else console.log(`Self-test: the demo build's module list shows its simulator (${found.length} simulator/MSW modules).`);
}

// 3. The production build itself.
const { chunks } = await buildWithModuleList({ root, outDir: 'dist' });
const leaked = simulatorModulesIn(chunks, root);
if (leaked.length > 0) {
  fail(`The production build contains simulator code (${leaked.length} modules):`);
  for (const entry of leaked) console.error(`  ${entry.module}  (in ${entry.chunk})`);
}

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

// Every script in dist must be a chunk whose modules were listed: an unlisted one (an emitted asset such as
// MSW's mockServiceWorker.js, a copied public/ file) would be code the check never saw.
const listed = new Set(chunks.map((chunk) => chunk.fileName));
let jsRaw = 0;
let jsGzip = 0;
for (const file of files('dist')) {
  const name = file.slice('dist/'.length).split('\\').join('/');
  if (!/\.(m?js|cjs)$/.test(name)) continue;
  if (!listed.has(name)) fail(`dist/${name} is a script that is no chunk of the build: its modules are unknown.`);
  const content = readFileSync(file);
  jsRaw += content.length;
  jsGzip += gzipSync(content).length;
}

// 4. The Content-Security-Policy in the built page: no inline script or eval, connections only to this origin
// and the configured API base (expected values written out here, not computed by the plugin under test).
const configuredBase = (process.env.VITE_NOVAPULSE_API_BASE ?? '').trim().replace(/\/+$/, '');
checkPolicy('dist/index.html', readFileSync('dist/index.html', 'utf8'), configuredBase ? `'self' ${configuredBase}/` : "'self'");
{
  const { outputs } = await buildWithModuleList({
    root,
    outDir: 'node_modules/.cache/check-production-build/api-base',
    write: false,
    env: { VITE_NOVAPULSE_API_BASE: 'https://api.novapulse.example' },
  });
  const page = outputs.find((output) => output.fileName === 'index.html');
  checkPolicy('a build with VITE_NOVAPULSE_API_BASE=https://api.novapulse.example', String(page?.source ?? ''), "'self' https://api.novapulse.example/");
}

function checkPolicy(where, html, expectedConnect) {
  const metas = [...html.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]*)"/gi)];
  if (metas.length !== 1) return fail(`${where}: expected one Content-Security-Policy meta, found ${metas.length}.`);
  const policy = metas[0][1].replace(/&#39;/g, "'");
  const directives = new Map(policy.split(';').map((part) => part.trim().split(/\s+/)).filter((words) => words[0]).map(([name, ...values]) => [name, values.join(' ')]));
  const scripts = directives.get('script-src') ?? directives.get('default-src') ?? '';
  if (scripts !== "'self' 'wasm-unsafe-eval'") fail(`${where}: script-src is "${scripts}", expected "'self' 'wasm-unsafe-eval'" (no inline script, no eval).`);
  if (directives.get('connect-src') !== expectedConnect) fail(`${where}: connect-src is "${directives.get('connect-src')}", expected "${expectedConnect}".`);
  if (directives.get('object-src') !== "'none'") fail(`${where}: object-src is "${directives.get('object-src')}", expected "'none'".`);
  if (directives.get('base-uri') !== "'none'") fail(`${where}: base-uri is "${directives.get('base-uri')}", expected "'none'".`);
  const firstScript = html.search(/<script|<link rel="stylesheet"/i);
  if (firstScript !== -1 && metas[0].index > firstScript) fail(`${where}: the Content-Security-Policy comes after a script or stylesheet, which it then does not cover.`);
  if (/<script(?![^>]*\bsrc=)[^>]*>/i.test(html)) fail(`${where}: has an inline <script>, which the policy would block.`);
  if (!failed) console.log(`${where}: Content-Security-Policy allows no inline script; connect-src ${expectedConnect}.`);
}

if (failed) process.exit(1);
const moduleCount = chunks.reduce((sum, chunk) => sum + chunk.moduleIds.length, 0);
console.log(`Production build is simulator-free: ${moduleCount} modules in ${chunks.length} chunks, none from src/mocks, src/testing or msw.`);
console.log(`JavaScript: ${(jsRaw / 1024).toFixed(1)} KB, ${(jsGzip / 1024).toFixed(1)} KB gzipped.`);
