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
