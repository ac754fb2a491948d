// @vitest-environment jsdom
const KEY = 'np_test_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

async function freshStore() {
  vi.resetModules();
  return (await import('./key-store')).keyStore;
}

describe('key store', () => {
  beforeEach(() => localStorage.clear());

  it('keeps the key in memory only unless the person opts in', async () => {
    const store = await freshStore();
    store.getState().keyEntered(KEY, false);
    expect(store.getState().key).toBe(KEY);
    expect(JSON.stringify(localStorage)).not.toContain(KEY);
    expect((await freshStore()).getState().key).toBeNull();
  });

  it('remembers the key across a reload when asked to', async () => {
    (await freshStore()).getState().keyEntered(KEY, true);
    const reloaded = await freshStore();
    expect(reloaded.getState()).toMatchObject({ key: KEY, remembered: true, dialogOpen: false });
  });

  it('drops a remembered key the server calls invalid, keeps one that merely expired', async () => {
    const store = await freshStore();
    store.getState().keyEntered(KEY, true);
    store.getState().keyRejected('expired_api_key', false);
    expect(localStorage.length).toBe(1);
    expect(store.getState()).toMatchObject({ dialogOpen: true, rejectedWith: 'expired_api_key' });
    store.getState().keyRejected('invalid_api_key', true);
    expect(localStorage.length).toBe(0);
  });
});
