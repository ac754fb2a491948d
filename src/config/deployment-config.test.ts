import { loadDeploymentConfig } from './deployment-config';

const BUILD = { demo: false, apiBase: 'https://build-default.example' };

function serving(body: string | null, init: ResponseInit = {}) {
  const calls: { url: string; init: RequestInit | undefined }[] = [];
  const fetchImpl = (async (url: string, requestInit?: RequestInit) => {
    calls.push({ url, init: requestInit });
    return new Response(body, init);
  }) as typeof fetch;
  return { fetchImpl, calls };
}

const json = (value: unknown) => serving(JSON.stringify(value), { headers: { 'Content-Type': 'application/json' } });

describe('config.json beside index.html', () => {
  it('sets the API base from the file, asked for without the HTTP cache', async () => {
    const { fetchImpl, calls } = json({ apiBase: 'https://api.novapulse.example/' });
    expect(await loadDeploymentConfig(BUILD, '/config.json', fetchImpl)).toEqual({
      kind: 'ready',
      config: { demo: false, apiBase: 'https://api.novapulse.example' },
      source: 'config.json',
    });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toBe('/config.json');
    expect(calls[0]?.init?.cache).toBe('no-store');
  });

  it('an empty apiBase means the console\'s own origin (a reverse proxy)', async () => {
    expect(await loadDeploymentConfig(BUILD, '/config.json', json({ apiBase: '' }).fetchImpl)).toMatchObject({ kind: 'ready', config: { apiBase: '' } });
  });

  it('no file (404), or a host that answers every path with index.html, keeps the build\'s default', async () => {
    expect(await loadDeploymentConfig(BUILD, '/config.json', serving('Not found', { status: 404 }).fetchImpl)).toEqual({ kind: 'ready', config: BUILD, source: 'build' });
    const fallback = serving('<!doctype html><html></html>', { headers: { 'Content-Type': 'text/html; charset=utf-8' } });
    expect(await loadDeploymentConfig(BUILD, '/config.json', fallback.fetchImpl)).toEqual({ kind: 'ready', config: BUILD, source: 'build' });
  });

  it('a file that is not JSON says so', async () => {
    const result = await loadDeploymentConfig(BUILD, '/config.json', serving('{ apiBase: https://api.example }', { headers: { 'Content-Type': 'application/json' } }).fetchImpl);
    expect(result.kind).toBe('invalid');
    expect(result.kind === 'invalid' && result.problem).toMatch(/^config\.json is not valid JSON \(/);
  });

  it('names a bad apiBase, a missing one, and a misspelt field', async () => {
    expect(await loadDeploymentConfig(BUILD, '/config.json', json({ apiBase: 'api.novapulse.example' }).fetchImpl)).toEqual({
      kind: 'invalid',
      problem: 'config.json is not valid: "apiBase" must be "" (the console\'s own origin) or an http(s) URL such as "https://api.novapulse.example".',
    });
    expect(await loadDeploymentConfig(BUILD, '/config.json', json({ apiBaseUrl: 'https://api.novapulse.example' }).fetchImpl)).toEqual({
      kind: 'invalid',
      problem: 'config.json is not valid: "apiBase" is missing; unknown field "apiBaseUrl" (the fields are: "apiBase").',
    });
    expect(await loadDeploymentConfig(BUILD, '/config.json', json(['https://api.novapulse.example']).fetchImpl)).toEqual({
      kind: 'invalid',
      problem: 'config.json is not valid: the file must be a JSON object.',
    });
  });

  it('a server error or an unreachable file stops the start with the reason, rather than calling the build default', async () => {
    expect(await loadDeploymentConfig(BUILD, '/config.json', serving('oops', { status: 500 }).fetchImpl)).toEqual({
      kind: 'invalid',
      problem: 'config.json could not be read: the server answered HTTP 500.',
    });
    const offline = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    expect(await loadDeploymentConfig(BUILD, '/config.json', offline)).toEqual({
      kind: 'invalid',
      problem: 'config.json could not be loaded (Failed to fetch). Check the connection and reload.',
    });
  });
});
