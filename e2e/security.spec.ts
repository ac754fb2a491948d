import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { accountJobs, createAccount, requestLog, setFaults, signIn } from './support/simulator';
import { sineWav } from './support/wav';

// Each payload, if it ever ran, would set the canary and open a dialog.
const IMG = '<img src=x onerror="window.__pwned=1;alert(1)">';
const JS_URL = 'javascript:window.__pwned=1;alert(1)//';
const SCRIPT = '</script><script>window.__pwned=1;alert(1)</script>';
const FAST_JOBS = { queueMs: [200, 400], processMs: [800, 1_200] };
let tone = 300;

interface Watch {
  dialogs: string[];
  console: string[];
  requestUrls: string[];
  pageUrls: string[];
}

/**
 * Records what would show an attack or a leak: dialogs (dismissed), console output, every request URL and every
 * URL the page was at. Also counts CSP violations in the page: a payload that reached the DOM as markup would be
 * blocked by the policy and so never set the canary, but it would still be reported here.
 */
async function watch(page: Page): Promise<Watch> {
  const seen: Watch = { dialogs: [], console: [], requestUrls: [], pageUrls: [] };
  page.on('dialog', (dialog) => {
    seen.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('console', (message) => seen.console.push(message.text()));
  page.on('pageerror', (error) => seen.console.push(`pageerror: ${error.message}`));
  page.on('request', (request) => seen.requestUrls.push(request.url()));
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) seen.pageUrls.push(frame.url());
  });
  await page.addInitScript(() => {
    const violations: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = violations;
    document.addEventListener('securitypolicyviolation', (event) => violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample} at ${event.sourceFile}:${event.lineNumber}:${event.columnNumber}`));
  });
  return seen;
}

async function expectUnharmed(page: Page, seen: Watch) {
  expect(seen.dialogs, 'dialogs opened').toEqual([]);
  const state = await page.evaluate(() => ({
    pwned: (window as unknown as { __pwned?: unknown }).__pwned ?? null,
    violations: (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? [],
    injectedImages: document.querySelectorAll('img[src="x"]').length,
    scripts: [...document.scripts].map((script) => script.src || `inline: ${script.textContent?.slice(0, 60)}`),
    javascriptLinks: [...document.querySelectorAll('a[href]')].map((link) => link.getAttribute('href') ?? '').filter((href) => /^\s*javascript:/i.test(href)),
  }));
  expect(state.pwned, 'the canary global').toBeNull();
  expect(state.violations, 'CSP violations').toEqual([]);
  expect(state.injectedImages, 'payload <img> elements in the DOM').toBe(0);
  expect(state.scripts.filter((script) => script.startsWith('inline')), 'inline scripts in the DOM').toEqual([]);
  expect(state.javascriptLinks, 'javascript: links').toEqual([]);
}

function queueItem(page: Page, name: string) {
  return page.getByRole('region', { name: /Upload queue/ }).getByRole('listitem', { name, exact: true });
}

/** Uploads one small WAV per name, each with different bytes (the same bytes would be held back as a duplicate). */
async function uploadFiles(page: Page, names: string[]) {
  await page.getByLabel('Choose audio files').setInputFiles(names.map((name) => ({ name, mimeType: 'audio/wav', buffer: sineWav(40_000, 16_000, tone++) })));
  await page.getByRole('button', { name: `Upload ${names.length} ${names.length === 1 ? 'file' : 'files'}` }).click();
}

test.describe.configure({ timeout: 120_000 });

test('script payloads in file names and metadata keys and values show as literal text in the queue, the jobs list and the job page', async ({ page, request }) => {
  const seen = await watch(page);
  const account = await createAccount(request, { timing: FAST_JOBS });
  await signIn(page, account.keys.full, '/upload');
  const names = [`${IMG}.wav`, `${JS_URL}.wav`, `${SCRIPT}.wav`];
  await page.getByLabel('Metadata key 1').fill(IMG);
  await page.getByLabel('Metadata value 1').fill(SCRIPT);
  await page.getByRole('button', { name: 'Add metadata' }).click();
  await page.getByLabel('Metadata key 2').fill('link');
  await page.getByLabel('Metadata value 2').fill(JS_URL);
  await uploadFiles(page, names);

  // What the server recorded is what the person chose, character for character.
  await expect.poll(async () => (await accountJobs(request, account.account_id)).map((job) => job.file.name).sort(), { timeout: 30_000 }).toEqual([...names].sort());
  const jobs = (await (await request.get(`/__sim/accounts/${account.account_id}/jobs`)).json()) as {
    jobs: { id: string; file: { name: string }; metadata: Record<string, string> }[];
  };
  for (const job of jobs.jobs) expect(job.metadata).toEqual({ [IMG]: SCRIPT, link: JS_URL });

  for (const name of names) {
    await expect(queueItem(page, name)).toBeVisible();
    await expect(queueItem(page, name).getByText(`${name} (39.1 KB, transcription, en-US)`, { exact: true })).toBeVisible();
    await expect(queueItem(page, name).getByText('Accepted', { exact: true })).toBeVisible({ timeout: 30_000 });
  }
  await expectUnharmed(page, seen);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs', exact: true }).click();
  const row = (name: string) =>
    page.getByRole('list', { name: 'Jobs, newest first' }).getByRole('listitem').filter({ has: page.getByText(`${name} (39.1 KB)`, { exact: true }) });
  for (const name of names) await expect(row(name)).toBeVisible();
  await expectUnharmed(page, seen);

  for (const name of names) {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs', exact: true }).click();
    await row(name).getByRole('link').click();
    await expect(page.getByRole('heading', { level: 1, name, exact: true })).toBeVisible();
    const details = page.getByRole('region', { name: 'Job details' });
    await expect(details.getByText(`${IMG}=${SCRIPT}`, { exact: true })).toBeVisible();
    await expect(details.getByText(`link=${JS_URL}`, { exact: true })).toBeVisible();
    await expectUnharmed(page, seen);
  }
});

test('script payloads from the server (account name, job ids, error messages and codes, transcript text) show as literal text', async ({ page, request, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const seen = await watch(page);
  const jobIdPrefix = `${IMG}${SCRIPT}`;
  const errorMessage = `Refused: ${SCRIPT} ${IMG} ${JS_URL}`;
  const transcriptText = `${IMG} said ${SCRIPT} and ${JS_URL}`;
  const accountName = `${IMG}</h2>`;
  const account = await createAccount(request, { name: accountName, timing: FAST_JOBS, serverText: { jobIdPrefix, errorMessage, transcriptText } });
  await signIn(page, account.keys.full, '/');
  await expect(page.getByRole('heading', { name: accountName, exact: true })).toBeVisible();
  await expectUnharmed(page, seen);

  // A job id made by the server: shown in the queue, used in links and in requests for the job.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Upload', exact: true }).click();
  await uploadFiles(page, ['call.wav']);
  await expect(queueItem(page, 'call.wav').getByText('Accepted', { exact: true })).toBeVisible({ timeout: 30_000 });
  const [job] = await accountJobs(request, account.account_id);
  expect(job!.id.startsWith(jobIdPrefix)).toBe(true);
  await expect(queueItem(page, 'call.wav').getByRole('link', { name: job!.id, exact: true })).toBeVisible();
  await queueItem(page, 'call.wav').getByRole('link', { name: job!.id, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'call.wav', exact: true })).toBeVisible();
  await expect(page.getByText(`Job ${job!.id}`, { exact: true })).toBeVisible();
  // Transcript text from the server.
  const transcript = page.getByRole('region', { name: 'Transcript' });
  await expect(transcript.getByText(transcriptText, { exact: true }).first()).toBeVisible({ timeout: 30_000 });
  await expectUnharmed(page, seen);

  // An error message and an unknown error code from the server, on a refused upload.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Upload', exact: true }).click();
  await setFaults(request, account.account_id, { forced: [{ endpoint: 'POST /v1/jobs', code: IMG, status: 400 }] });
  await uploadFiles(page, ['refused.wav']);
  const refused = queueItem(page, 'refused.wav');
  await expect(refused.getByText('Failed', { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(refused.getByText(errorMessage, { exact: true })).toBeVisible();
  await expect(refused.getByText(IMG).first()).toBeVisible();
  await expectUnharmed(page, seen);

  // A job that fails while processing: its message on the job page and in the support bundle.
  await setFaults(request, account.account_id, { forced: [], processingFailure: { code: 'internal_error', count: 1 } });
  await uploadFiles(page, ['fails.wav']);
  const failing = queueItem(page, 'fails.wav');
  await expect(failing.getByText('Accepted', { exact: true })).toBeVisible({ timeout: 30_000 });
  await failing.getByRole('link').click();
  const failure = page.getByRole('region', { name: /^Failed:/ });
  await expect(failure.getByText(errorMessage, { exact: true })).toBeVisible({ timeout: 30_000 });
  await failure.getByRole('button', { name: 'Copy support bundle' }).click();
  const bundle = await page.evaluate(() => navigator.clipboard.readText());
  expect(bundle).toContain(`message: ${errorMessage}`);
  await expectUnharmed(page, seen);

  // A job id typed into the address bar comes back in the server's job_not_found message.
  await signIn(page, account.keys.full, `/jobs/${encodeURIComponent(`${IMG}${SCRIPT}`)}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Job not found' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(`Job ${IMG}${SCRIPT}`, { exact: true })).toBeVisible();
  await expectUnharmed(page, seen);
});

/** Everything the page keeps in the browser: both storages, every IndexedDB record (as text), Cache Storage and cookies. */
async function storedText(page: Page, context: BrowserContext): Promise<string> {
  const inPage = await page.evaluate(async () => {
    const dump = (storage: Storage) => Object.fromEntries(Array.from({ length: storage.length }, (_, i) => storage.key(i)!).map((key) => [key, storage.getItem(key)]));
    const asText = (value: unknown): unknown => {
      if (value instanceof Blob) return `blob:${value.size}`;
      if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return `bytes`;
      if (Array.isArray(value)) return value.map(asText);
      if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, asText(inner)]));
      return value;
    };
    const databases: Record<string, unknown> = {};
    for (const info of await indexedDB.databases()) {
      if (!info.name) continue;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(info.name!);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      for (const storeName of Array.from(db.objectStoreNames)) {
        const store = db.transaction(storeName, 'readonly').objectStore(storeName);
        const [keys, values] = await Promise.all(
          [store.getAllKeys(), store.getAll()].map(
            (req) =>
              new Promise<unknown[]>((resolve, reject) => {
                req.onsuccess = () => resolve(req.result as unknown[]);
                req.onerror = () => reject(req.error);
              }),
          ),
        );
        databases[`${info.name}/${storeName}`] = { keys: asText(keys), values: asText(values) };
      }
      db.close();
    }
    const cacheNames = 'caches' in window ? await caches.keys() : [];
    const cached: string[] = [];
    for (const name of cacheNames) for (const entry of await (await caches.open(name)).keys()) cached.push(entry.url);
    return JSON.stringify({ local: dump(localStorage), session: dump(sessionStorage), databases, cached, cookie: document.cookie });
  });
  return `${inPage}\n${JSON.stringify(await context.cookies())}`;
}

test('the key is in no storage, URL, request log, support bundle, console output or page text unless the person opts in', async ({ page, request, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const seen = await watch(page);
  const account = await createAccount(request, { timing: FAST_JOBS });
  const key = account.keys.full;
  await signIn(page, key, '/upload');
  // Work that touches every place a key could slip into: uploads (one kept in IndexedDB), retries, a failure with
  // a support bundle, the job pages.
  await uploadFiles(page, ['kept.wav']);
  await expect(queueItem(page, 'kept.wav').getByText('Accepted', { exact: true })).toBeVisible({ timeout: 30_000 });
  await setFaults(request, account.account_id, { forced: [{ endpoint: 'POST /v1/jobs', code: 'internal_error' }] });
  await uploadFiles(page, ['broken.wav']);
  const broken = queueItem(page, 'broken.wav');
  await expect(broken.getByText('Failed', { exact: true })).toBeVisible({ timeout: 30_000 });
  await broken.getByRole('button', { name: 'Copy support bundle' }).click();
  const uploadBundle = await page.evaluate(() => navigator.clipboard.readText());
  expect(uploadBundle).toContain('error: internal_error (HTTP 500)');
  await queueItem(page, 'kept.wav').getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1, name: 'kept.wav' })).toBeVisible();
  for (const link of ['Jobs', 'Failed jobs', 'Settings', 'Overview']) {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link, exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
  }

  // Sent only as the Authorization header: the simulator saw it there (its log answers by account).
  const log = await requestLog(request, account.account_id);
  expect(log.length).toBeGreaterThan(3);
  expect(JSON.stringify(log)).not.toContain(key);
  expect(uploadBundle).not.toContain(key);
  expect(seen.requestUrls.length).toBeGreaterThan(3);
  expect(seen.requestUrls.filter((url) => url.includes(key))).toEqual([]);
  expect([...seen.pageUrls, page.url()].filter((url) => url.includes(key))).toEqual([]);
  expect(seen.console.filter((line) => line.includes(key))).toEqual([]);
  expect(await page.locator('body').textContent()).not.toContain(key);
  expect(await page.content()).not.toContain(key);
  const stored = await storedText(page, context);
  expect(stored).toContain('kept.wav');
  expect(stored).not.toContain(key);
  // A reload forgets it: the dialog asks again.
  await page.reload();
  await expect(page.getByRole('dialog', { name: /API key/i })).toBeVisible();

  // Opting in keeps it in localStorage (and so the storage check above can see a key), until "Forget key".
  const dialog = page.getByRole('dialog', { name: /API key/i });
  await dialog.getByLabel('API key', { exact: true }).fill(key);
  await dialog.getByLabel('Remember on this device').check();
  await dialog.getByRole('button', { name: 'Use this key' }).click();
  await expect(dialog).toBeHidden();
  expect(await storedText(page, context)).toContain(key);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings', exact: true }).click();
  await page.getByRole('button', { name: /Forget/ }).click();
  expect(await storedText(page, context)).not.toContain(key);
  await expectUnharmed(page, seen);
});

/** The policy's directives, by name. */
function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

test('the demo page carries a Content-Security-Policy: no inline script or eval, connections only to its own origin', async ({ page, request, baseURL }) => {
  const html = await (await request.get('/')).text();
  const metas = [...html.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]*)"/g)];
  expect(metas).toHaveLength(1);
  const policy = directives(metas[0]![1]!.replace(/&#39;/g, "'"));
  expect(policy.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
  // The demo's API base is this origin.
  expect(policy.get('connect-src')).toEqual(["'self'"]);
  expect(policy.get('object-src')).toEqual(["'none'"]);
  expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<script'));

  const seen = await watch(page);
  const account = await createAccount(request, { timing: FAST_JOBS });
  await signIn(page, account.keys.full, '/upload');
  // Tailwind's stylesheet applies: the page background is slate-50, not the browser's transparent default.
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe('rgba(0, 0, 0, 0)');
  // The app works under the policy: hashing (WebAssembly in a worker), uploading and polling.
  await uploadFiles(page, ['under-policy.wav']);
  await expect(queueItem(page, 'under-policy.wav').getByText('Accepted', { exact: true })).toBeVisible({ timeout: 30_000 });
  await expectUnharmed(page, seen);

  // And the policy is enforced: inline script, eval and connections to another origin are refused.
  const enforced = await page.evaluate(async (otherOrigin) => {
    const script = document.createElement('script');
    script.textContent = 'window.__inlineRan = 1';
    document.head.append(script);
    // A string timer is compiled after this evaluation returns, so DevTools' own exemption from the policy
    // (which lets code run by page.evaluate call eval) does not apply to it.
    const timer = setTimeout as unknown as (code: string, ms: number) => number;
    timer('window.__evalRan = 1', 0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const evalRan = (window as unknown as { __evalRan?: number }).__evalRan === 1;
    let otherOriginAnswered = false;
    try {
      otherOriginAnswered = (await fetch(`${otherOrigin}/__sim/health`)).ok;
    } catch {
      otherOriginAnswered = false;
    }
    const sameOrigin = (await fetch('/__sim/health')).ok;
    return { inlineRan: (window as unknown as { __inlineRan?: number }).__inlineRan === 1, evalRan, otherOriginAnswered, sameOrigin };
  }, baseURL!.replace('localhost', '127.0.0.1'));
  expect(enforced).toEqual({ inlineRan: false, evalRan: false, otherOriginAnswered: false, sameOrigin: true });
});

test('the static demo build carries the same policy, and its service-worker simulator works under it', async ({ browser }) => {
  // The static demo's file server (see playwright.config.ts): no simulator over HTTP, MSW in a service worker.
  const staticOrigin = `http://localhost:${Number(process.env.NOVAPULSE_E2E_PORT ?? 4317) + 1}`;
  const context = await browser.newContext({ baseURL: staticOrigin, serviceWorkers: 'allow' });
  try {
    const page = await context.newPage();
    const html = await (await page.request.get('/')).text();
    const metas = [...html.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]*)"/g)];
    expect(metas).toHaveLength(1);
    const policy = directives(metas[0]![1]!.replace(/&#39;/g, "'"));
    expect(policy.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(policy.get('connect-src')).toEqual(["'self'"]);
    expect(policy.get('worker-src')).toEqual(["'self'"]);

    const seen = await watch(page);
    await page.goto('/');
    await page.getByRole('button', { name: 'Use the demo key' }).click();
    await expect(page.getByRole('heading', { name: 'Acme Support (demo)' })).toBeVisible();
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(`${staticOrigin}/mockServiceWorker.js`);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Upload', exact: true }).click();
    await uploadFiles(page, ['static-demo.wav']);
    await expect(queueItem(page, 'static-demo.wav').getByText('Accepted', { exact: true })).toBeVisible({ timeout: 30_000 });
    await expectUnharmed(page, seen);
  } finally {
    await context.close();
  }
});
