// Measures what the first page is made of: builds the production console into a scratch folder, takes the first
// page's chunks from the build's manifest (as check-bundle-budget.mjs does), and shares each chunk's gzipped size
// among its modules' packages in proportion to each module's minified size (the bundler's own per-module figure).
// `node scripts/first-page-modules.mjs [--modules [--all]]` prints the table (and, with --modules, the 60 largest modules, or all).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { firstPageFiles } from './check-bundle-budget.mjs';
import { projectPath } from './bundle-modules.mjs';

/** The package a module belongs to (`react-dom`, `@tanstack/router-core`), or the console's own folder under src/. */
export function ownerOf(path) {
  const inPackage = path.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//g);
  if (inPackage) return inPackage[inPackage.length - 1].replace(/^node_modules\//, '').replace(/\/$/, '');
  const own = path.match(/^src\/([^/]+)\//);
  return own ? `src/${own[1]}` : path;
}

async function main() {
  const root = process.cwd();
  const outDir = 'node_modules/.cache/first-page-modules';
  const chunks = new Map();
  await build({
    root,
    configFile: 'vite.config.ts',
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
    plugins: [
      {
        name: 'first-page-module-sizes',
        enforce: 'post',
        generateBundle(_options, bundle) {
          for (const output of Object.values(bundle)) {
            if (output.type !== 'chunk') continue;
            chunks.set(output.fileName, Object.entries(output.modules).map(([id, module]) => ({ path: projectPath(id, root), length: module.renderedLength })));
          }
        },
      },
    ],
  });
  const manifest = JSON.parse(readFileSync(join(outDir, '.vite', 'manifest.json'), 'utf8'));
  const byOwner = new Map();
  const modules = [];
  let total = 0;
  for (const file of firstPageFiles(manifest)) {
    const gzipped = gzipSync(readFileSync(join(outDir, file))).length;
    total += gzipped;
    const parts = chunks.get(file) ?? [];
    const rendered = parts.reduce((sum, part) => sum + part.length, 0) || 1;
    for (const part of parts) {
      const share = (gzipped * part.length) / rendered;
      const owner = ownerOf(part.path);
      byOwner.set(owner, (byOwner.get(owner) ?? 0) + share);
      modules.push({ ...part, share, file });
    }
  }
  const kb = (bytes) => (bytes / 1024).toFixed(1).padStart(6);
  for (const [owner, bytes] of [...byOwner].sort((a, b) => b[1] - a[1])) console.log(`${kb(bytes)} KB  ${owner}`);
  console.log(`${kb(total)} KB  first page, gzipped (shares are estimates: a chunk's gzip split by minified length)`);
  if (process.argv.includes('--modules')) {
    for (const module of modules.sort((a, b) => b.share - a.share).slice(0, process.argv.includes('--all') ? Infinity : 60)) console.log(`${kb(module.share)} KB  ${module.path}`);
  }
}

await main();
