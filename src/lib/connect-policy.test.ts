import { connectionAllowed, connectSources } from './connect-policy';

const POLICY = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self' https://api.novapulse.example/; object-src 'none'";

describe('connect policy', () => {
  it("reads connect-src, and none where the page has no policy", () => {
    expect(connectSources(POLICY)).toEqual(["'self'", 'https://api.novapulse.example/']);
    expect(connectSources(null)).toBeNull();
    expect(connectSources("script-src 'self'")).toBeNull();
  });

  it('allows the page origin and the configured base, and nothing else', () => {
    const sources = connectSources(POLICY);
    expect(connectionAllowed('http://localhost:4173', sources, 'http://localhost:4173')).toBe(true);
    expect(connectionAllowed('https://api.novapulse.example', sources, 'http://localhost:4173')).toBe(true);
    expect(connectionAllowed('https://api.novapulse.example/v1', sources, 'http://localhost:4173')).toBe(true);
    expect(connectionAllowed('https://eu.novapulse.example', sources, 'http://localhost:4173')).toBe(false);
    expect(connectionAllowed('https://api.novapulse.example.evil.test', sources, 'http://localhost:4173')).toBe(false);
    expect(connectionAllowed('not a url', sources, 'http://localhost:4173')).toBe(false);
  });

  it('allows anything where the page sets no connect policy (the dev server)', () => {
    expect(connectionAllowed('https://eu.novapulse.example', null, 'http://localhost:5173')).toBe(true);
  });
});

describe('connect policy, source by source', () => {
  const PAGE = 'https://console.example';

  it('falls back to default-src when there is no connect-src, and reads directive names in any case', () => {
    expect(connectSources("default-src 'self' https://a.example")).toEqual(["'self'", 'https://a.example']);
    expect(connectSources("CONNECT-SRC https://b.example; default-src 'self'")).toEqual(['https://b.example']);
    expect(connectSources('')).toBeNull();
  });

  it("'self' is the page's origin only", () => {
    expect(connectionAllowed('https://console.example/v1', ["'self'"], PAGE)).toBe(true);
    expect(connectionAllowed('http://console.example/v1', ["'self'"], PAGE)).toBe(false);
  });

  it('* allows any URL; an empty list allows none', () => {
    expect(connectionAllowed('https://anything.example', ['*'], PAGE)).toBe(true);
    expect(connectionAllowed('https://anything.example', [], PAGE)).toBe(false);
  });

  it('a source ending in / is a path prefix on that origin', () => {
    const sources = ['https://api.example/novapulse/'];
    expect(connectionAllowed('https://api.example/novapulse', sources, PAGE)).toBe(true);
    expect(connectionAllowed('https://api.example/novapulse/v1/jobs', sources, PAGE)).toBe(true);
    expect(connectionAllowed('https://api.example/other', sources, PAGE)).toBe(false);
  });

  it('a bare origin allows that origin on any path; a source with a path allows that URL only', () => {
    expect(connectionAllowed('https://api.example/v1', ['https://api.example'], PAGE)).toBe(true);
    expect(connectionAllowed('https://api2.example/v1', ['https://api.example'], PAGE)).toBe(false);
    expect(connectionAllowed('https://api.example/exact', ['https://api.example/exact'], PAGE)).toBe(true);
    expect(connectionAllowed('https://api.example/exact/', ['https://api.example/exact'], PAGE)).toBe(true);
    expect(connectionAllowed('https://api.example/exactly', ['https://api.example/exact'], PAGE)).toBe(false);
  });

  it("a keyword or a bare scheme allows nothing by itself (the console's own policy names origins only)", () => {
    expect(connectionAllowed('https://api.example', ["'none'"], PAGE)).toBe(false);
    expect(connectionAllowed('https://api.example', ['https:'], PAGE)).toBe(false);
  });
});
