// Issue 16's schema measurement: builds each of the two files on its own (Vite library mode, minified, ES module) and
// prints its size gzipped. From the project's root: `npm i --no-save valibot@1.5.0 && node docs/measurements/issue-16-schemas/measure.mjs`.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
for (const name of ['zod-first-page', 'valibot-first-page']) {
  const outDir = join(process.cwd(), 'node_modules/.cache/issue-16-schemas', name);
  await build({ configFile: false, logLevel: 'warn', root: here, build: { outDir, emptyOutDir: true, minify: true, lib: { entry: join(here, `${name}.ts`), formats: ['es'], fileName: name } } });
  const code = readFileSync(join(outDir, `${name}.js`));
  console.log(`${name}: ${(code.length / 1024).toFixed(1)} KB minified, ${(gzipSync(code).length / 1024).toFixed(1)} KB gzipped`);
}
