import { expect } from '@playwright/test';
import { test } from './support/deployed';
import { accountJobs, createAccount, requestLog, setFaults, signIn } from './support/simulator';

/**
 * The README's other way: nginx with docs/deploy/nginx.conf serves the production build (configured with
 * `npm run configure -- --same-origin`) and proxies /v1/ to the API on one origin. The API behind it is the one that
 * exposes no header to another origin: through the proxy the page reads them all the same.
 */
const FIXTURES = 'e2e/fixtures/audio';
const BATCH = ['interview-0033.m4a', 'sales-call-0005.wav'];
const RATE_LIMIT = 20;

test('behind a reverse proxy the console calls only its own origin and reads every header, even from an API that exposes none', async ({ page, api, apiURL }) => {
  const account = await createAccount(api, { tier: 'starter', timing: { queueMs: [300, 600], processMs: [1_500, 3_000] } });
  const id = account.account_id;
  await setFaults(api, id, { rateLimit: RATE_LIMIT, forced: [{ endpoint: 'POST /v1/jobs', code: 'rate_limit_exceeded', retryAfterSeconds: 2, remaining: 1 }] });
  const requested: string[] = [];
  page.on('request', (request) => requested.push(request.url()));
  await signIn(page, account.keys.full, '/upload');
  const pageOrigin = new URL(page.url()).origin;
  expect(pageOrigin).not.toBe(new URL(apiURL).origin);

  await page.getByLabel('Choose audio files').setInputFiles(BATCH.map((name) => `${FIXTURES}/${name}`));
  await page.getByRole('button', { name: `Upload ${BATCH.length} files` }).click();
  const queue = page.getByRole('region', { name: /Upload queue/ });
  for (const name of BATCH) await expect(queue.getByRole('listitem', { name, exact: true }).getByText('Accepted', { exact: true })).toBeVisible({ timeout: 30_000 });

  expect((await accountJobs(api, id)).map((job) => job.file.name).sort()).toEqual([...BATCH].sort());
  // The page spoke to its own origin only; the API saw the proxy's requests (a same-origin GET carries no Origin).
  expect(requested.filter((url) => new URL(url).origin !== pageOrigin)).toEqual([]);
  const log = await requestLog(api, id);
  expect(log.filter((entry) => entry.origin !== null && entry.origin !== pageOrigin)).toEqual([]);
  // The 429's Retry-After was read: the refused upload was sent again only after it.
  const [refusal] = log.filter((entry) => entry.status === 429);
  if (!refusal) throw new Error('the simulator refused nothing');
  const retry = log.find((entry) => entry.fileName === refusal.fileName && entry.startedAt > refusal.startedAt);
  expect(retry?.startedAt).toBeGreaterThanOrEqual(refusal.answeredAt + 2_000);
  // And the gauge has the key's limit from the rate-limit headers.
  await expect(page.getByRole('region', { name: 'Usage' }).getByRole('meter', { name: 'Requests this minute' })).toHaveAttribute('max', String(RATE_LIMIT));
});
