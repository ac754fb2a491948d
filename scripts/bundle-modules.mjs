// Builds the console with Vite and returns the bundler's own list of the modules in every emitted chunk
// (the page's chunks and each Web Worker's), so a check can judge what ships by the module graph, not by text.
import { relative, sep } from 'node:path';
import { build } from 'vite';

/** Records every chunk's module ids as the bundler rendered them; one recorder per build (page and workers). */
function moduleRecorder(target, chunks) {
  return {
    name: 'novapulse-module-recorder',
    enforce: 'post',
    generateBundle(_options, bundle) {
      for (const output of Object.values(bundle)) {
        if (output.type === 'chunk') chunks.push({ target, fileName: output.fileName, moduleIds: [...output.moduleIds] });
      }
    },
  };
}

/**
 * Runs `vite build` with the project's vite.config.ts and returns the chunks with their module ids, and the
 * emitted files. `plugins` are added to the page build (the self-test uses one to inject a bad import).
 */
export async function buildWithModuleList({ root = process.cwd(), mode = 'production', outDir, write = true, plugins = [], env = {} } = {}) {
  const chunks = [];
  // Vite reads VITE_* variables from the process environment: set them for this build only.
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  Object.assign(process.env, env);
  const result = await build({
    root,
    configFile: 'vite.config.ts',
    mode,
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, write },
    worker: { plugins: () => [moduleRecorder('worker', chunks)] },
    plugins: [...plugins, moduleRecorder('page', chunks)],
  }).finally(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
  const outputs = (Array.isArray(result) ? result : [result]).flatMap((entry) => ('output' in entry ? entry.output : []));
  return { chunks, outputs };
}

/** A module id as a path relative to the project, with forward slashes (ids may carry a `?query` or a `\0` prefix). */
export function projectPath(id, root = process.cwd()) {
  const clean = id.replace(/^\0/, '').replace(/\?.*$/, '');
  const path = clean.startsWith(root) ? relative(root, clean) : clean;
  return path.split(sep).join('/');
}

/**
 * True for a module of the simulator (anything under src/mocks), of MSW (the `msw` package or its scoped helpers),
 * or of the test helpers (src/testing, *.test.*), none of which may ship.
 */
export function isSimulatorModule(id, root = process.cwd()) {
  const path = projectPath(id, root);
  if (path.startsWith('src/mocks/') || path.startsWith('src/testing/') || /\.test\.[cm]?[jt]sx?$/.test(path)) return true;
  return /(^|\/)node_modules\/(msw|@mswjs\/[^/]+)\//.test(path);
}

/** Every simulator or MSW module in the chunks, with the chunk that carries it. */
export function simulatorModulesIn(chunks, root = process.cwd()) {
  return chunks.flatMap((chunk) =>
    chunk.moduleIds.filter((id) => isSimulatorModule(id, root)).map((id) => ({ chunk: chunk.fileName, target: chunk.target, module: projectPath(id, root) })),
  );
}
