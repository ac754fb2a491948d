import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { checkFirstPageBudget, FIRST_PAGE_BUDGET_BYTES, type Manifest } from '../scripts/check-bundle-budget.mjs';
import { test } from './support/deployed';

/**
 * Issue 16, item 3: the first screen of the production build. index.html carries a static picture of the header and
 * the key dialog, painted from the stylesheet before any script runs, replaced by the app's own in one frame; and a
 * cold load of / fetches no script before the page is first idle beyond the first page the budget check counts.
 */

const DIALOG_HEADING = 'Enter your NovaPulse API key';
const PHONE = { width: 390, height: 844 };

const isScript = (url: string) => /\.m?js$/.test(new URL(url).pathname);

/** What a person sees of the header and the key dialog, measured where `scope` (the shell, or the app's #root) draws them. */
function looks(page: Page, scope: 'boot-shell' | 'root') {
  return page.evaluate(
    ({ scope, heading }) => {
      const within = document.getElementById(scope);
      if (!within) throw new Error(`no #${scope}`);
      const header = within.querySelector('header');
      const name = [...within.querySelectorAll('header span')].find((element) => element.textContent === 'NovaPulse Console');
      const title = [...within.querySelectorAll('h2, p')].find((element) => element.textContent === heading);
      const frame = scope === 'root' ? title?.closest('dialog') : title?.closest('.max-w-lg');
      if (!header || !name || !title || !frame) throw new Error(`#${scope} lacks the header, the product name or the dialog's heading`);
      const navItems = [...within.querySelectorAll('nav li')].filter((element) => (element as HTMLElement).offsetParent !== null);
      const box = (element: Element) => {
        const rect = element.getBoundingClientRect();
        return { x: Math.round(rect.x), y: Math.round(rect.y), width: Math.round(rect.width), height: Math.round(rect.height) };
      };
      const font = (element: Element) => {
        const style = getComputedStyle(element);
        return `${style.fontSize} ${style.fontWeight} ${style.color}`;
      };
      return {
        pageBackground: getComputedStyle(document.body).backgroundColor,
        headerBackground: getComputedStyle(header).backgroundColor,
        header: box(header),
        name: { ...box(name), font: font(name) },
        nav: navItems.map((item) => ({ text: item.textContent?.trim(), ...box(item) })),
        frame: { ...box(frame), background: getComputedStyle(frame).backgroundColor },
        heading: { ...box(title), font: font(title) },
      };
    },
    { scope, heading: DIALOG_HEADING },
  );
}

type Looks = Awaited<ReturnType<typeof looks>>;

/** The shell must look like the app's first screen: the same colours and fonts, everything within 2 px of its place. */
function expectSameLook(shell: Looks, app: Looks) {
  expect(shell.pageBackground).toBe(app.pageBackground);
  expect(shell.headerBackground).toBe(app.headerBackground);
  expect(shell.name.font).toBe(app.name.font);
  expect(shell.heading.font).toBe(app.heading.font);
  expect(shell.frame.background).toBe(app.frame.background);
  expect(shell.nav.map((item) => item.text)).toEqual(app.nav.map((item) => item.text));
  const near = (a: number, b: number) => Math.abs(a - b) <= 2;
  const off = (what: string, a: Record<string, unknown>, b: Record<string, unknown>) =>
    (['x', 'y', 'width', 'height'] as const).filter((side) => !near(Number(a[side]), Number(b[side]))).map((side) => `${what}.${side}: shell ${a[side]}, app ${b[side]}`);
  const problems = [
    ...off('header', shell.header, app.header),
    ...off('name', shell.name, app.name),
    ...off('frame', shell.frame, app.frame),
    ...off('heading', shell.heading, app.heading),
    ...shell.nav.flatMap((item, index) => off(`nav ${item.text}`, item, app.nav[index] ?? {})),
  ];
  expect(problems).toEqual([]);
}

async function appLooks(page: Page): Promise<Looks> {
  await page.goto('/');
  await expect(page.getByRole('dialog', { name: /API key/i })).toBeVisible();
  // The dialog's own opening (showModal) has settled.
  await page.waitForTimeout(200);
  return looks(page, 'root');
}

async function shellLooks(page: Page): Promise<Looks> {
  await page.route((url) => isScript(url.href), (route) => route.abort());
  await page.goto('/');
  await expect(page.locator('#boot-shell').getByText(DIALOG_HEADING)).toBeVisible();
  return looks(page, 'boot-shell');
}

for (const { name, viewport, colorScheme } of [
  { name: 'at 1280 px, light', viewport: undefined, colorScheme: 'light' as const },
  { name: 'at 1280 px, on a system set to dark', viewport: undefined, colorScheme: 'dark' as const },
  { name: 'on a 390 px phone, light', viewport: PHONE, colorScheme: 'light' as const },
]) {
  test(`with every script blocked, the header and the key dialog's frame are painted, styled as the app draws them (${name})`, async ({ browser }) => {
    const context = await browser.newContext({ viewport: viewport ?? { width: 1280, height: 720 }, colorScheme, serviceWorkers: 'block' });
    try {
      const app = await appLooks(await context.newPage());
      const page = await context.newPage();
      const scripts: string[] = [];
      page.on('requestfailed', (request) => {
        if (isScript(request.url())) scripts.push(request.url());
      });
      const shell = await shellLooks(page);
      // The page really ran without its scripts: they were asked for and refused, and nothing else drew the screen.
      expect(scripts.length).toBeGreaterThan(0);
      await expect(page.locator('#root')).toBeEmpty();
      expectSameLook(shell, app);
      // A picture only: nothing of it reaches assistive tech, and nothing in it takes the focus.
      expect(await page.locator('body').ariaSnapshot()).toBe('');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement === document.body || document.activeElement === null)).toBe(true);
    } finally {
      await context.close();
    }
  });
}

test('the app replaces the shell in the frame it first draws: never both, never neither, and one dialog heading after', async ({ page }) => {
  // What each frame is about to paint: the shell, the app (something in #root), both, or neither once the shell was there.
  await page.addInitScript(() => {
    const frames: string[] = [];
    (window as unknown as { firstScreenFrames: string[] }).firstScreenFrames = frames;
    const record = () => {
      const shell = document.getElementById('boot-shell') !== null;
      const app = (document.getElementById('root')?.childElementCount ?? 0) > 0;
      const now = shell && app ? 'both' : shell ? 'shell' : app ? 'app' : 'neither';
      if (frames.at(-1) !== now) frames.push(now);
      if (frames.length < 20) requestAnimationFrame(record);
    };
    requestAnimationFrame(record);
  });
  await page.goto('/');
  const dialog = page.getByRole('dialog', { name: /API key/i });
  await expect(dialog).toBeVisible();
  await expect(page.locator('#boot-shell')).toHaveCount(0);
  const frames = await page.evaluate(() => (window as unknown as { firstScreenFrames: string[] }).firstScreenFrames);
  // Before the body is parsed a frame may hold neither; from the shell's first frame on, the app follows it directly.
  expect(frames.slice(frames.indexOf('shell'))).toEqual(['shell', 'app']);

  await expect(page.getByText(DIALOG_HEADING, { exact: true })).toHaveCount(1);
  await expect(page.getByText('NovaPulse Console', { exact: true })).toHaveCount(1);
  await expect(page.getByRole('heading', { name: DIALOG_HEADING })).toHaveCount(1);
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`)).toEqual([]);
});

test('a config.json that stops the console replaces the shell too', async ({ page }) => {
  await page.route('**/config.json', (route) => route.fulfill({ contentType: 'application/json', body: '{ "apiBase": 42 }' }));
  await page.goto('/');
  await expect(page.getByRole('heading', { name: "The console's configuration is wrong" })).toBeVisible();
  await expect(page.locator('#boot-shell')).toHaveCount(0);
  await expect(page.getByText(DIALOG_HEADING)).toHaveCount(0);
});

/** The build's files that a path (as the manifest names it) leads to; the worker is no manifest entry, so it is found by name. */
function distFiles(distDir: string) {
  const manifest = JSON.parse(readFileSync(join(distDir, '.vite', 'manifest.json'), 'utf8')) as Manifest;
  const gzippedSizeOf = (file: string) => gzipSync(readFileSync(join(distDir, file))).length;
  const chunkOf = (key: string) => {
    const chunk = manifest[key] ?? Object.entries(manifest).find(([name]) => name.startsWith(key))?.[1];
    if (!chunk) throw new Error(`the manifest has no ${key}`);
    return `/${chunk.file}`;
  };
  const worker = readdirSync(join(distDir, 'assets')).find((file) => /^hash-worker-.*\.js$/.test(file));
  if (!worker) throw new Error(`${distDir}/assets has no hash-worker chunk`);
  return { manifest, gzippedSizeOf, chunkOf, worker: `/assets/${worker}` };
}

test('a cold load of / fetches before the page is first idle exactly the first page the budget check counts, within the budget; the hasher and the other on-demand code follow at idle', async ({
  page,
  distDir,
}) => {
  const dist = distFiles(distDir);
  // Idle moments are held until the test lets them through: "before idle" is then as long as the test waits.
  await page.addInitScript(() => {
    const held: (() => void)[] = [];
    let released = false;
    const requestIdle = window.requestIdleCallback.bind(window);
    window.requestIdleCallback = (callback, options) => {
      if (released) return requestIdle(callback, options);
      held.push(() => requestIdle(callback, options));
      return 0;
    };
    Object.assign(window, {
      heldIdleCallbacks: () => held.length,
      releaseIdle: () => {
        released = true;
        for (const run of held.splice(0)) run();
      },
    });
  });
  const fetched: { path: string; body: Promise<Buffer | null> }[] = [];
  page.on('response', (response) => {
    if (isScript(response.url())) fetched.push({ path: new URL(response.url()).pathname, body: response.body().catch(() => null) });
  });
  const requested: string[] = [];
  page.on('request', (request) => {
    if (isScript(request.url())) requested.push(new URL(request.url()).pathname);
  });

  await page.goto('/');
  const dialog = page.getByRole('dialog', { name: /API key/i });
  const keyField = dialog.getByLabel('API key', { exact: true });
  // The first screen is interactive: the key can be typed.
  await keyField.fill('np_test_');
  await expect(keyField).toHaveValue('np_test_');
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(1_500);
  expect(await page.evaluate(() => (window as unknown as { heldIdleCallbacks: () => number }).heldIdleCallbacks())).toBeGreaterThan(0);

  const counted = checkFirstPageBudget({ manifest: dist.manifest, gzippedSizeOf: dist.gzippedSizeOf, budgetBytes: FIRST_PAGE_BUDGET_BYTES });
  const beforeIdle = [...fetched];
  expect([...requested].sort()).toEqual(counted.files.map((entry) => `/${entry.file}`).sort());
  const sizes = await Promise.all(
    beforeIdle.map(async (entry) => {
      const body = await entry.body;
      if (!body) throw new Error(`${entry.path}: no body`);
      return { path: entry.path, bytes: gzipSync(body).length };
    }),
  );
  const total = sizes.reduce((sum, entry) => sum + entry.bytes, 0);
  // What the browser fetched, gzipped, is what the manifest-based check counts, and within the same budget.
  expect(total).toBe(counted.total);
  expect(total).toBeLessThanOrEqual(FIRST_PAGE_BUDGET_BYTES);

  await page.evaluate(() => (window as unknown as { releaseIdle: () => void }).releaseIdle());
  // Fetched at once when the page is idle, while it is surely online (a module fetched offline would fail).
  const deferred = [
    dist.worker,
    dist.chunkOf('src/lib/sha256-stream.ts'),
    dist.chunkOf('src/features/usage/activity-panel.tsx'),
    dist.chunkOf('src/api/exchange-log-storage.ts'),
    dist.chunkOf('_rerun-ledger-'),
  ];
  await expect.poll(() => deferred.filter((path) => !requested.includes(path)), { timeout: 5_000 }).toEqual([]);

  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  const after = requested.filter((path) => !beforeIdle.some((entry) => entry.path === path));
  const report = [
    `before idle, ${kb(total)} gzipped (budget ${kb(FIRST_PAGE_BUDGET_BYTES)}):`,
    ...sizes.map((entry) => `  ${entry.path}  ${kb(entry.bytes)}`),
    'at idle:',
    ...after.map((path) => `  ${path}  ${kb(dist.gzippedSizeOf(path.slice(1)))}`),
  ].join('\n');
  await test.info().attach('scripts fetched by a cold load of /', { body: report, contentType: 'text/plain' });
  console.log(report);
});
