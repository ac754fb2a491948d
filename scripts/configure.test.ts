import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

// index.html as `npm run build` writes it (no API base configured), trimmed to what configure reads.
const BUILT_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'" />
    <title>NovaPulse Console</title>
    <script type="module" crossorigin src="/assets/index-abc123.js"></script>
  </head>
  <body><div id="root"></div></body>
</html>
`;

const dirs: string[] = [];
function builtDist(): string {
  const dir = mkdtempSync(join(tmpdir(), 'novapulse-configure-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'index.html'), BUILT_PAGE);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function configure(...args: string[]) {
  return spawnSync(process.execPath, ['scripts/configure.mjs', ...args], { encoding: 'utf8' });
}

function directives(html: string): Map<string, string> {
  const metas = [...html.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]*)"/gi)];
  expect(metas).toHaveLength(1);
  return new Map((metas[0]?.[1] ?? '').split(';').map((part) => part.trim().split(/\s+/)).map(([name, ...values]) => [name ?? '', values.join(' ')]));
}

describe('npm run configure', () => {
  it('points a built console at another API: config.json and the CSP connect-src name the same base', () => {
    const dist = builtDist();
    const run = configure('--api-base', 'https://api.novapulse.example/', '--dist', dist);
    expect(run.status, run.stderr).toBe(0);
    const config = JSON.parse(readFileSync(join(dist, 'config.json'), 'utf8')) as { apiBase: string };
    expect(config).toEqual({ apiBase: 'https://api.novapulse.example' });
    const policy = directives(readFileSync(join(dist, 'index.html'), 'utf8'));
    expect(policy.get('connect-src')).toBe("'self' https://api.novapulse.example/");
    expect(policy.get('connect-src')?.split(' ')).toContain(`${config.apiBase}/`);
    // The rest of the policy is the build's.
    expect(policy.get('script-src')).toBe("'self' 'wasm-unsafe-eval'");
    expect(policy.get('base-uri')).toBe("'none'");
    expect(readFileSync(join(dist, 'index.html'), 'utf8')).toContain('<script type="module" crossorigin src="/assets/index-abc123.js"></script>');
  });

  it('configured twice, the second API replaces the first in both files', () => {
    const dist = builtDist();
    expect(configure('--api-base', 'https://api.novapulse.example', '--dist', dist).status).toBe(0);
    expect(configure('--api-base', 'http://localhost:8787', '--dist', dist).status).toBe(0);
    expect(JSON.parse(readFileSync(join(dist, 'config.json'), 'utf8'))).toEqual({ apiBase: 'http://localhost:8787' });
    expect(directives(readFileSync(join(dist, 'index.html'), 'utf8')).get('connect-src')).toBe("'self' http://localhost:8787/");
  });

  it('--same-origin: the console calls its own origin (behind a reverse proxy), and may connect nowhere else', () => {
    const dist = builtDist();
    expect(configure('--api-base', 'https://api.novapulse.example', '--dist', dist).status).toBe(0);
    expect(configure('--same-origin', '--dist', dist).status).toBe(0);
    expect(JSON.parse(readFileSync(join(dist, 'config.json'), 'utf8'))).toEqual({ apiBase: '' });
    expect(directives(readFileSync(join(dist, 'index.html'), 'utf8')).get('connect-src')).toBe("'self'");
  });

  it('refuses a URL the CSP cannot carry, says why, and leaves both files as they were', () => {
    for (const bad of ["https://api.example; script-src 'unsafe-inline'", 'api.novapulse.example', 'https://api.example/?x=1', 'javascript:alert(1)']) {
      const dist = builtDist();
      const run = configure('--api-base', bad, '--dist', dist);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`--api-base ${JSON.stringify(bad)} is not usable`);
      expect(readFileSync(join(dist, 'index.html'), 'utf8')).toBe(BUILT_PAGE);
      expect(existsSync(join(dist, 'config.json'))).toBe(false);
    }
  });

  it('refuses a folder with no built page, and one without a policy to rewrite', () => {
    const empty = builtDist();
    rmSync(join(empty, 'index.html'));
    const missing = configure('--api-base', 'https://api.novapulse.example', '--dist', empty);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/index\.html not found: run `npm run build` first/);
    const unbuilt = builtDist();
    writeFileSync(join(unbuilt, 'index.html'), '<!doctype html><html><head><meta charset="UTF-8" /></head></html>');
    const run = configure('--api-base', 'https://api.novapulse.example', '--dist', unbuilt);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/has 0 Content-Security-Policy meta tags/);
    expect(existsSync(join(unbuilt, 'config.json'))).toBe(false);
  });
});
