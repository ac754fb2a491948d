import AxeBuilder from '@axe-core/playwright';
import { expect, type Locator, type Page, test } from '@playwright/test';
import { createAccount } from './support/simulator';
import { sineWav } from './support/wav';

/**
 * Issue 15's acceptance: at a laptop, a half-screen and a phone width, in both themes, every page and drawer fits
 * (nothing scrolls sideways), each list row's file, status and action is on screen and usable, and axe finds nothing
 * serious. Layout does not depend on the theme, so each width walks the console once with the layout checks and axe,
 * then again in the other theme with axe alone.
 */
test.describe.configure({ timeout: 150_000 });

const WIDTHS = [
  { width: 1280, height: 800 },
  { width: 800, height: 900 },
  { width: 390, height: 844 },
] as const;

type Theme = 'light' | 'dark';

interface SimJob {
  id: string;
  status: string;
  file: { name: string };
  error: { code: string } | null;
}

/**
 * Axe's serious and critical findings. `coloursOnly` runs just the rules a theme can change (contrast): the other
 * theme's pass of the same screens at the same width has already run every rule. `within` limits it to what a drawer,
 * dialog or menu adds over a page already checked.
 */
async function seriousViolations(page: Page, where: string, coloursOnly = false, within?: string): Promise<string[]> {
  const axe = within ? new AxeBuilder({ page }).include(within) : new AxeBuilder({ page });
  const result = await (coloursOnly ? axe.withRules(['color-contrast', 'link-in-text-block']) : axe).analyze();
  return result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${where}: ${violation.id} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`);
}

/** Sideways scrolling of the page, if any. */
async function sidewaysScroll(page: Page, where: string): Promise<string[]> {
  const { scrollWidth, clientWidth } = await page.evaluate(() => {
    const root = document.scrollingElement as Element;
    return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth };
  });
  return scrollWidth > clientWidth ? [`${where}: the page scrolls sideways (${scrollWidth} px wide in ${clientWidth} px)`] : [];
}

/**
 * Whether `target` is shown whole: inside the viewport from left to right, not cut by any ancestor that clips
 * (a truncated cell, a scrolling list), and its own text not cut short.
 */
async function cutOff(target: Locator, what: string): Promise<string[]> {
  // Found first (a missing element fails here); then whatever hides or cuts it is collected, so one run names every problem.
  await target.waitFor({ state: 'attached' });
  const problem = await target.evaluate((element) => {
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || !element.checkVisibility({ visibilityProperty: true })) return 'is not shown';
    if (box.left < -0.5 || box.right > document.documentElement.clientWidth + 0.5) return `is outside the viewport (${Math.round(box.left)}..${Math.round(box.right)} px)`;
    if (element.clientWidth > 0 && element.scrollWidth > element.clientWidth + 1) return `has its text cut (${element.scrollWidth} px in ${element.clientWidth} px)`;
    for (let parent = element.parentElement; parent; parent = parent.parentElement) {
      const style = getComputedStyle(parent);
      if (style.overflowX === 'visible') continue;
      const clip = parent.getBoundingClientRect();
      if (box.left < clip.left - 0.5 || box.right > clip.right + 0.5) return `is cut by a clipping ancestor (${parent.tagName.toLowerCase()}.${[...parent.classList].slice(0, 3).join('.')})`;
    }
    return null;
  });
  return problem ? [`${what} ${problem}`] : [];
}

/** Goes to a page by the main navigation, through the header menu where the header has folded it away. */
async function goTo(page: Page, link: string, heading: string) {
  const nav = page.getByRole('navigation', { name: 'Main' });
  const menu = page.getByRole('banner').getByRole('button', { name: 'Menu' });
  if (!(await nav.isVisible())) await menu.click();
  await nav.getByRole('link', { name: link, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0, { timeout: 15_000 });
}

/** Opens a header button, through the menu where the header has folded it away. */
async function headerButton(page: Page, name: string): Promise<Locator> {
  const button = page.getByRole('banner').getByRole('button', { name, exact: true });
  if (!(await button.isVisible())) await page.getByRole('banner').getByRole('button', { name: 'Menu' }).click();
  return button;
}

for (const { width, height } of WIDTHS) {
  test(`at ${width} px, in both themes: every page and drawer fits, list rows show their file, status and action, axe finds nothing serious`, async ({ page, request }) => {
    const account = await createAccount(request, { seedJobs: 40, seedActiveJobs: 2, seedFailedShare: 0.3 });
    const readJobs = async () => (await (await request.get(`/__sim/accounts/${account.account_id}/jobs`)).json()).jobs as SimJob[];
    let jobs = await readJobs();
    const fileOf = (jobId: string) => jobs.find((job) => job.id === jobId)?.file.name ?? '(not a job of this account)';
    await page.setViewportSize({ width, height });
    const found: string[] = [];

    for (const theme of ['light', 'dark'] as const satisfies readonly Theme[]) {
      const full = theme === 'light';
      const at = (where: string) => `${width} px ${theme}, ${where}`;
      await page.emulateMedia({ colorScheme: theme });
      if (full) {
        await page.goto('/');
        const dialog = page.getByRole('dialog', { name: /API key/i });
        await expect(dialog).toBeVisible();
        found.push(...(await sidewaysScroll(page, at('key dialog'))), ...(await cutOff(dialog.getByRole('button', { name: 'Use this key' }), at('key dialog: "Use this key"'))));
        found.push(...(await seriousViolations(page, at('key dialog'), !full)));
        await dialog.getByLabel('API key', { exact: true }).fill(account.keys.full);
        await dialog.getByRole('button', { name: 'Use this key' }).click();
        await expect(dialog).toBeHidden();
      }
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);

      // The header: one short line on a phone, its menu a real disclosure.
      const banner = page.getByRole('banner');
      const menu = banner.getByRole('button', { name: 'Menu' });
      if (width < 1024) {
        await expect(menu).toHaveAttribute('aria-expanded', 'false');
        if (width < 768) {
          await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
          if (full) expect((await banner.boundingBox())?.height, 'header height on a phone').toBeLessThanOrEqual(64);
        }
        await menu.click();
        await expect(menu).toHaveAttribute('aria-expanded', 'true');
        await expect(banner.getByRole('button', { name: 'Request log' })).toBeVisible();
        await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' })).toBeVisible();
        found.push(...(await sidewaysScroll(page, at('header menu'))), ...(await seriousViolations(page, at('header menu'), !full, 'header')));
        await banner.getByRole('button', { name: 'Request log' }).focus();
        await page.keyboard.press('Escape');
        await expect(menu).toHaveAttribute('aria-expanded', 'false');
        await expect(menu).toBeFocused();
        await expect(banner.getByRole('button', { name: 'Request log' })).toBeHidden();
        if (full) {
          // The jump box's "/" still works with the menu folded: the menu opens with the box focused.
          await page.keyboard.press('/');
          await expect(banner.getByRole('searchbox', { name: 'Jump to a job' })).toBeFocused();
          await expect(menu).toHaveAttribute('aria-expanded', 'true');
          await page.keyboard.press('Escape');
          await expect(menu).toHaveAttribute('aria-expanded', 'false');
          await expect(menu).toBeFocused();
        }
      } else {
        await expect(menu).toBeHidden();
      }

      // Overview: its gauges in full.
      await goTo(page, 'Overview', 'Overview');
      found.push(...(await sidewaysScroll(page, at('Overview'))));
      if (full) for (const meter of ['Concurrent jobs', 'Requests this minute', 'Audio this period']) found.push(...(await cutOff(page.getByRole('meter', { name: meter }), at(`Overview: the "${meter}" meter`))));
      found.push(...(await seriousViolations(page, at('Overview'), !full)));

      // Upload: the usage strip, and (once) a queue row.
      await goTo(page, 'Upload', 'Upload audio');
      const strip = page.getByRole('region', { name: 'Usage' });
      const fold = strip.getByRole('button', { name: /^Usage/ });
      if (full) {
        if (await fold.isVisible()) {
          await fold.click();
          await expect(fold).toHaveAttribute('aria-expanded', 'true');
        }
        for (const meter of ['Requests this minute', 'Concurrent jobs', 'Audio this period']) found.push(...(await cutOff(strip.getByRole('meter', { name: meter }), at(`usage strip: the "${meter}" meter`))));
        // A label and its numbers side by side, never on top of each other.
        const overlaps = await strip.evaluate((section) =>
          [...section.querySelectorAll('meter')].flatMap((meter) => {
            const label = section.querySelector(`label[for="${meter.id}"]`);
            const value = label?.nextElementSibling;
            if (!label || !value) return [`${meter.id}: no label and value`];
            const a = label.getBoundingClientRect();
            const b = value.getBoundingClientRect();
            const apart = a.right <= b.left + 0.5 || b.right <= a.left + 0.5 || a.bottom <= b.top + 0.5 || b.bottom <= a.top + 0.5;
            return apart ? [] : [`"${label.textContent}" overlaps "${value.textContent}"`];
          }),
        );
        found.push(...overlaps.map((overlap) => at(`usage strip: ${overlap}`)));
        if (await fold.isVisible()) await fold.click();

        await page.getByLabel('Choose audio files').setInputFiles({ name: `narrow-${width}.wav`, mimeType: 'audio/wav', buffer: sineWav(24_000 + width) });
        await page.getByRole('button', { name: 'Upload 1 file' }).click();
        const row = page.getByRole('region', { name: /Upload queue/ }).getByRole('listitem', { name: `narrow-${width}.wav` });
        await expect(row.getByText('Accepted', { exact: true })).toBeVisible({ timeout: 30_000 });
        found.push(...(await cutOff(row.getByText(`narrow-${width}.wav`).first(), at('queue row: its file name'))));
        found.push(...(await cutOff(row.getByText('Accepted', { exact: true }), at('queue row: its status'))));
        const remove = row.getByRole('button', { name: `Remove narrow-${width}.wav from the queue` });
        found.push(...(await cutOff(remove, at('queue row: its Remove button'))));
        await remove.focus();
        await expect(remove).toBeFocused();
      }
      found.push(...(await sidewaysScroll(page, at('Upload'))), ...(await seriousViolations(page, at('Upload'), !full)));

      // Jobs: each row's file, status and a link to the job (the rows' own layout belongs to the Jobs page).
      await goTo(page, 'Jobs', 'Jobs');
      // The upload above made a job too.
      jobs = await readJobs();
      found.push(...(await sidewaysScroll(page, at('Jobs'))));
      if (full) {
        const list = page.getByRole('list', { name: 'Jobs, newest first' });
        await expect(list.getByRole('listitem').first()).toBeVisible();
        const shown = await list.getByRole('listitem').evaluateAll((items) => items.slice(0, 3).map((item) => item.querySelector('a[href*="/jobs/job_"]')?.getAttribute('href')?.split('/').pop() ?? ''));
        for (const jobId of shown) {
          const job = jobs.find((candidate) => candidate.id === jobId);
          expect(job, `a Jobs row links to a job of the account (${jobId})`).toBeDefined();
          if (!job) continue;
          const row = list.getByRole('listitem').filter({ has: page.locator(`a[href$="/jobs/${jobId}"]`) });
          found.push(...(await cutOff(row.getByText(job.file.name, { exact: false }).first(), at(`Jobs row ${jobId}: its file name`))));
          found.push(...(await cutOff(row.getByText(/^(queued|processing|completed|failed)$/).first(), at(`Jobs row ${jobId}: its status`))));
          found.push(...(await cutOff(row.locator(`a[href$="/jobs/${jobId}"]`).first(), at(`Jobs row ${jobId}: its link`))));
        }
      }
      found.push(...(await seriousViolations(page, at('Jobs'), !full)));

      // Failed jobs: each row's job ID, file, code and action whole; a row's link opens its job.
      await goTo(page, 'Failed jobs', 'Failed jobs');
      await expect(page.getByRole('status').filter({ hasText: /failed jobs? in the/ })).toBeVisible({ timeout: 30_000 });
      found.push(...(await sidewaysScroll(page, at('Failed jobs'))));
      const failures = page.getByRole('list', { name: 'Failures, newest first' });
      if (full) {
        const rows = failures.getByRole('listitem');
        await expect(rows.first()).toBeVisible();
        for (const row of (await rows.all()).slice(0, 3)) {
          const link = row.getByRole('link', { name: /^job_/ });
          const jobId = (await link.textContent()) ?? '';
          const job = jobs.find((candidate) => candidate.id === jobId);
          found.push(...(await cutOff(link, at(`Failed row ${jobId}: its job ID`))));
          found.push(...(await cutOff(row.getByText(fileOf(jobId), { exact: true }), at(`Failed row ${jobId}: its file name`))));
          found.push(...(await cutOff(row.getByText(job?.error?.code ?? '(no code)', { exact: true }), at(`Failed row ${jobId}: its error code`))));
          expect(job?.status, `${jobId} is a failed job of the account`).toBe('failed');
          const action = row.getByRole('button').first();
          if ((await action.count()) > 0) found.push(...(await cutOff(action, at(`Failed row ${jobId}: its action`))));
          found.push(...(await cutOff(row.getByRole('checkbox'), at(`Failed row ${jobId}: its checkbox`))));
        }
        const firstAction = rows.first().getByRole('button').first();
        if ((await firstAction.count()) > 0) {
          await firstAction.focus();
          await expect(firstAction).toBeFocused();
        }
      }
      found.push(...(await seriousViolations(page, at('Failed jobs'), !full)));

      // A job page, opened from its failed row.
      const firstRow = failures.getByRole('listitem').first();
      const openedId = (await firstRow.getByRole('link', { name: /^job_/ }).textContent()) ?? '';
      await firstRow.getByRole('link', { name: /^job_/ }).click();
      await expect(page.getByRole('heading', { level: 1, name: fileOf(openedId) })).toBeVisible();
      await expect(page.locator('[aria-busy="true"]')).toHaveCount(0, { timeout: 15_000 });
      found.push(...(await sidewaysScroll(page, at('job page'))), ...(await seriousViolations(page, at('job page'), !full)));

      await goTo(page, 'Settings', 'Settings');
      found.push(...(await sidewaysScroll(page, at('Settings'))), ...(await seriousViolations(page, at('Settings'), !full)));

      // The drawers, opened from the header (its menu on narrow screens).
      for (const [button, drawer] of [
        ['Request log', 'Request log'],
        ['Demo scenarios', 'Demo scenarios'],
      ] as const) {
        await (await headerButton(page, button)).click();
        const aside = page.getByRole('complementary', { name: drawer });
        await expect(aside).toBeVisible();
        found.push(...(await sidewaysScroll(page, at(drawer))), ...(await seriousViolations(page, at(drawer), !full, 'aside')));
        if (full) found.push(...(await cutOff(aside.getByRole('button', { name: /^Close/ }), at(`${drawer}: its Close button`))));
        // Nor anything inside it (the request log's table on a phone).
        const inside = await aside.evaluate((element) =>
          [element, ...element.querySelectorAll('*')]
            // Visually hidden text (1 px, clipped) is for screen readers, not a region anyone scrolls.
            .filter((each) => each.clientWidth > 1 && each.scrollWidth > each.clientWidth + 1 && getComputedStyle(each).overflowX !== 'visible')
            .map((each) => `<${each.tagName.toLowerCase()} class="${each.className}"> ${each.scrollWidth} px in ${each.clientWidth} px`),
        );
        for (const part of inside) found.push(`${at(drawer)}: scrolls sideways inside: ${part}`);
        await page.keyboard.press('Escape');
        await expect(aside).toBeHidden();
        if (width < 1024) await page.keyboard.press('Escape');
      }
      if (!full) {
        // The key dialog in this theme: opened from the header, as a person changing the key would.
        await (await headerButton(page, 'API key')).click();
        const dialog = page.getByRole('dialog', { name: /API key/i });
        await expect(dialog).toBeVisible();
        found.push(...(await sidewaysScroll(page, at('key dialog'))), ...(await seriousViolations(page, at('key dialog'), true, 'dialog')));
        await page.keyboard.press('Escape');
        await expect(dialog).toBeHidden();
      }
    }
    expect(found).toEqual([]);
  });
}
