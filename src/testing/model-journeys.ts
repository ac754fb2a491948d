import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import fc from 'fast-check';
import { clear } from 'idb-keyval';
import { HttpResponse, http } from 'msw';
import { BACKGROUND_RESERVE_FRACTION } from '../api/background-budget';
import { keyStore } from '../features/auth/key-store';
import { settingsEvents } from '../features/settings/settings-store';
import { RECEIVED_AT_HEADER } from '../mocks/handlers';
import { RATE_WINDOW_MS, TIERS } from '../mocks/core/tiers';
import { backgroundReadsOverBudget, type KeyedLogEntry, rateLimitsEarned, requestsInsideRetryAfter } from './model-invariants';
import { enterKey, reloadApp, renderApp, type SimAccountHandle, setupAppHarness, wavBytes } from './render-app';
import { rowRerunName } from './rerun-names';

/**
 * A model of what a person does with the console, run against the real App
 * over the simulator on fake time (which moves with real time too, so the
 * App's own waits and Testing Library's run as in a browser). The model holds
 * only what the person knows: what they asked for and what they saw.
 */

type Harness = ReturnType<typeof setupAppHarness>;
type View = Awaited<ReturnType<typeof reloadApp>>;

/** Fake time moves in steps this long; a request already on its way when an answer came is forgiven this much. */
export const STEP_MS = 500;

export type PageName = 'Overview' | 'Upload' | 'Jobs' | 'Failed jobs' | 'Settings';
const PAGE_PATHS: Record<PageName, string> = { Overview: '/', Upload: '/upload', Jobs: '/jobs', 'Failed jobs': '/failed', Settings: '/settings' };

/** What the person asked for with one file. */
export interface Intent {
  name: string;
  /** unique: its own bytes; same-bytes: the bytes of another file picked with it; refused: not audio. */
  kind: 'unique' | 'same-bytes' | 'refused';
  /** The file it copies, for same-bytes. */
  copyOf: string | null;
  /** Saw the console say why it would not send it (checked when picked). */
  refusalSeen: boolean;
  cancelled: boolean;
  /** Asked again ("Retry now") after cancelling it: the intent stands again. */
  restated: boolean;
}

export interface Model {
  intents: Intent[];
  /** Jobs the person asked to re-run (with full analysis), by job id, with the file name they carry. */
  reruns: Map<string, string>;
  keyExpired: boolean;
  faults: number;
}

export interface Real {
  harness: Harness;
  account: SimAccountHandle;
  view: View;
  /** The person's hands: user-event with no pause between events (its pauses are fake-timer waits of real time). */
  user: ReturnType<typeof userEvent.setup>;
  key: string;
  path: string;
  stalls: { release: (outcome: 'answer' | 'drop') => void }[];
  /** Browser-clock times at which the person did something (every budget window with one is not "background"). */
  actedAt: number[];
  figures: Figures;
  trace: string[];
}

export interface Figures {
  sequences: number;
  actions: number;
  skipped: number;
  intents: number;
  jobs: number;
  faults: number;
  reloads: number;
  counterexamples: number;
}

export function emptyFigures(): Figures {
  return { sequences: 0, actions: 0, skipped: 0, intents: 0, jobs: 0, faults: 0, reloads: 0, counterexamples: 0 };
}

const flushIo = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Moves fake time (the console's timers and the simulator's clock both read it), letting the network answer between steps. */
export async function advance(ms: number) {
  for (let left = ms; left > 0; left -= STEP_MS) {
    await vi.advanceTimersByTimeAsync(Math.min(STEP_MS, left));
    await flushIo();
  }
}

/** Advances until `done` holds or `maxMs` of fake time passed; true when it held. */
export async function advanceUntil(done: () => boolean, maxMs: number, stepMs = 1_000): Promise<boolean> {
  for (let spent = 0; spent < maxMs; spent += stepMs) {
    if (done()) return true;
    await advance(stepMs);
  }
  return done();
}

function acted(real: Real, what: string) {
  real.actedAt.push(Date.now());
  real.figures.actions += 1;
  real.trace.push(`${new Date(Date.now()).toISOString().slice(11, 23)} ${what}${process.env.NOVAPULSE_MODEL_TRACE === '1' ? ` [real ${Math.round(performance.now())} ms]` : ''}`);
}

function skipped(real: Real, what: string) {
  real.figures.skipped += 1;
  real.trace.push(`${new Date(Date.now()).toISOString().slice(11, 23)} (skipped) ${what}`);
}

/** Bytes that are not audio (a PNG's signature), named as audio. */
function notAudio(name: string): File {
  const bytes = new Uint8Array(64);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return new File([bytes], name, { type: 'audio/wav' });
}

async function navigate(real: Real, path: string) {
  await real.view.router.navigate({ to: path });
  real.path = path;
}

async function openPage(real: Real, page: PageName) {
  const nav = screen.getByRole('navigation', { name: 'Main' });
  await real.user.click(within(nav).getByRole('link', { name: page }));
  await waitFor(() => expect(real.view.router.state.location.pathname).toBe(PAGE_PATHS[page]), { timeout: 15_000 });
  real.path = PAGE_PATHS[page];
}

/** The queue row's state as the person reads it. */
export const ROW_STATES = ['Accepted', 'Cancelled', 'Failed', 'Skipped', 'Already submitted', 'Retrying', 'Uploading', 'Waiting for a free slot', 'Checking for duplicates'] as const;
/** Where a row rests once nothing more will happen by itself: a job, or a refusal the person can read. */
const ENDED: readonly (RowState | null)[] = ['Accepted', 'Cancelled', 'Failed', 'Skipped'];
export type RowState = (typeof ROW_STATES)[number];

/** The row reads "<file> (<size>, <pipeline>, <language>)<state>…": the words right after the file's details. */
export function rowState(row: HTMLElement): RowState | null {
  const name = row.getAttribute('aria-label') ?? '';
  const text = row.textContent ?? '';
  const after = text.startsWith(name) ? text.slice(text.indexOf(')', name.length) + 1) : '';
  return ROW_STATES.find((state) => after.startsWith(state)) ?? null;
}

function queueRows(): HTMLElement[] {
  const list = screen.queryByRole('heading', { name: /^Upload queue/ })?.closest('section');
  return list ? within(list).queryAllByRole('listitem') : [];
}

function keyDialogOpen(): boolean {
  return screen.queryByRole('dialog') !== null;
}

/* --------------------------------------------------------------- commands */

type Cmd = fc.AsyncCommand<Model, Real>;

export class PickAndUpload implements Cmd {
  constructor(readonly unique: number, readonly sameBytes: boolean, readonly refused: boolean) {}
  check(model: Readonly<Model>) {
    return !model.keyExpired;
  }
  async run(model: Model, real: Real) {
    if (real.path !== '/upload') await openPage(real, 'Upload');
    const input = screen.getByLabelText('Choose audio files');
    // The size limit comes from the account: the form waits for it, as the person does.
    if (!(await advanceUntil(() => !(input as HTMLInputElement).disabled, 15_000))) {
      skipped(real, `${this} (the form never enabled)`);
      return;
    }
    const base = model.intents.length;
    const picked: { file: File; intent: Intent }[] = [];
    for (let i = 0; i < this.unique; i++) {
      const name = `take-${base + i + 1}.wav`;
      picked.push({ file: new File([wavBytes(`${real.account.accountId}:${name}`)], name, { type: 'audio/wav' }), intent: newIntent(name, 'unique', null) });
    }
    if (this.sameBytes && picked[0]) {
      const original = picked[0];
      const name = `take-${base + picked.length + 1}-copy.wav`;
      picked.push({ file: new File([wavBytes(`${real.account.accountId}:${original.intent.name}`)], name, { type: 'audio/wav' }), intent: newIntent(name, 'same-bytes', original.intent.name) });
    }
    if (this.refused) {
      const name = `take-${base + picked.length + 1}-not-audio.wav`;
      picked.push({ file: notAudio(name), intent: newIntent(name, 'refused', null) });
    }
    acted(real, String(this));
    await real.user.upload(input, picked.map((entry) => entry.file));
    const sendable = picked.filter((entry) => entry.intent.kind !== 'refused');
    for (const entry of picked) if (entry.intent.kind === 'refused') {
      const alert = await screen.findByText(new RegExp(`${entry.intent.name} is not MP3`), {}, { timeout: 15_000 });
      entry.intent.refusalSeen = alert !== null;
    }
    if (sendable.length > 0) {
      // A queue restored after a reload folds the form ("Add more files") even over files just picked; the person opens it.
      await unfoldForm(real);
      const name = `Upload ${sendable.length} ${sendable.length === 1 ? 'file' : 'files'}`;
      const submit = await screen.findByRole('button', { name }, { timeout: 15_000 }).catch(() => null);
      if (!submit) throw new Error(`no "${name}" button; the page says: ${screen.getByRole('main').textContent?.slice(0, 1200)}`);
      await waitFor(() => expect(submit).toBeEnabled(), { timeout: 15_000 });
      await real.user.click(submit);
      for (const entry of sendable) await screen.findByRole('listitem', { name: entry.intent.name }, { timeout: 15_000 });
    }
    model.intents.push(...picked.map((entry) => entry.intent));
    real.figures.intents += picked.length;
  }
  toString() {
    return `pick ${this.unique} file(s)${this.sameBytes ? ' + a copy of the first' : ''}${this.refused ? ' + a file that is not audio' : ''} and upload`;
  }
}

async function unfoldForm(real: Real) {
  const fold = screen.queryByRole('button', { name: /Add more files/ });
  if (fold?.getAttribute('aria-expanded') === 'false') await real.user.click(fold);
}

function newIntent(name: string, kind: Intent['kind'], copyOf: string | null): Intent {
  return { name, kind, copyOf, refusalSeen: false, cancelled: false, restated: false };
}

/** Clicks a row's button ("Cancel …" or "Retry now: …"): the `index`-th row offering it, if any. */
abstract class RowButton implements Cmd {
  constructor(readonly index: number) {}
  abstract readonly label: (name: string) => string;
  abstract after(model: Model, name: string): void;
  check(model: Readonly<Model>) {
    return model.intents.some((intent) => intent.kind !== 'refused');
  }
  async run(model: Model, real: Real) {
    if (real.path !== '/upload') await openPage(real, 'Upload');
    const offering = model.intents.filter((intent) => screen.queryByRole('button', { name: this.label(intent.name) }) !== null);
    const target = offering[this.index % Math.max(1, offering.length)];
    if (!target) {
      skipped(real, String(this));
      return;
    }
    acted(real, `${this} -> ${target.name}`);
    await real.user.click(screen.getByRole('button', { name: this.label(target.name) }));
    this.after(model, target.name);
  }
}

export class CancelUpload extends RowButton {
  readonly label = (name: string) => `Cancel ${name}`;
  after(model: Model, name: string) {
    const intent = model.intents.find((each) => each.name === name);
    if (intent) {
      intent.cancelled = true;
      intent.restated = false;
    }
  }
  toString() {
    return `cancel upload #${this.index}`;
  }
}

export class RetryNow extends RowButton {
  readonly label = (name: string) => `Retry now: ${name}`;
  after(model: Model, name: string) {
    const intent = model.intents.find((each) => each.name === name);
    if (intent?.cancelled) intent.restated = true;
  }
  toString() {
    return `Retry now on upload #${this.index}`;
  }
}

export class OpenPage implements Cmd {
  constructor(readonly page: PageName) {}
  check() {
    return true;
  }
  async run(_model: Model, real: Real) {
    acted(real, String(this));
    await openPage(real, this.page);
  }
  toString() {
    return `open ${this.page}`;
  }
}

/** Opens a job's page by its address (pasted from a ticket), one of the jobs the simulator holds. */
export class OpenJobPage implements Cmd {
  constructor(readonly index: number) {}
  check() {
    return true;
  }
  async run(_model: Model, real: Real) {
    const jobs = real.account.jobs();
    const job = jobs[this.index % Math.max(1, jobs.length)];
    if (!job) {
      skipped(real, String(this));
      return;
    }
    acted(real, `${this} -> ${job.id}`);
    await navigate(real, `/jobs/${job.id}`);
  }
  toString() {
    return `open the page of job #${this.index}`;
  }
}

/** Waits (15 s at most) for `offered` to find its control, or for `declined` to hold; the control, or null. */
async function firstOf(offered: () => HTMLElement | null, declined: () => boolean): Promise<HTMLElement | null> {
  let found: HTMLElement | null = null;
  await waitFor(
    () => {
      found = offered();
      if (!found && !declined()) throw new Error('neither offered nor declined yet');
    },
    { timeout: 15_000 },
  ).catch(() => undefined);
  return found;
}

/** A job of this journey's uploads that has ended (re-run offers full analysis for a transcription job). */
function endedJobsOfIntents(model: Readonly<Model>, real: Real, status: readonly string[]) {
  const { simulator } = real.harness;
  const account = simulator.account(real.account.accountId);
  const names = new Set(model.intents.map((intent) => intent.name));
  return account.jobs.filter((job) => names.has(job.file.name) && job.pipeline === 'transcription' && status.includes(simulator.jobStatus(account, job).status));
}

abstract class Rerun implements Cmd {
  constructor(readonly index: number) {}
  abstract readonly statuses: readonly string[];
  abstract ask(real: Real, jobId: string): Promise<boolean>;
  check(model: Readonly<Model>) {
    return !model.keyExpired && model.intents.some((intent) => intent.kind === 'unique');
  }
  async run(model: Model, real: Real) {
    const jobs = endedJobsOfIntents(model, real, this.statuses);
    const job = jobs[this.index % Math.max(1, jobs.length)];
    if (!job) {
      skipped(real, String(this));
      return;
    }
    acted(real, `${this} -> ${job.id} (${job.file.name})`);
    if (await this.ask(real, job.id)) model.reruns.set(job.id, job.file.name);
    else skipped(real, `${this}: no button offered for ${job.id}${process.env.NOVAPULSE_MODEL_TRACE === "1" ? ` (${screen.queryByRole("main")?.textContent?.slice(0, 1200)})` : ""}`);
  }
}

/** On the job's page, "Re-run with full analysis". */
export class RerunFromJobPage extends Rerun {
  readonly statuses = ['completed', 'failed'];
  async ask(real: Real, jobId: string) {
    await navigate(real, `/jobs/${jobId}`);
    // The page offers the re-run, or says it was re-run already ("Re-runs", from the ledger).
    const button = await firstOf(
      () => screen.queryByRole('button', { name: 'Re-run with full analysis' }),
      () => screen.queryByRole('region', { name: 'Re-runs' }) !== null,
    );
    if (!button) return false;
    await waitFor(() => expect(button).toBeEnabled(), { timeout: 15_000 });
    await real.user.click(button);
    // The ledger (read lazily) may find it was re-run already, as the page loaded: then the page asks first, and the
    // person keeps the earlier re-run.
    const keep = () => screen.queryByRole('button', { name: 'No, keep the earlier re-run' });
    const queued = await firstOf(() => screen.queryByText(/^Queued as a new full analysis job/), () => keep() !== null);
    if (!queued && keep()) {
      await real.user.click(keep() as HTMLElement);
      return false;
    }
    if (!queued) throw new Error(`the re-upload was not queued; the page says: ${screen.getByRole('main').textContent?.slice(-1500)}`);
    return true;
  }
  toString() {
    return `re-run ended job #${this.index} from its page`;
  }
}

/** On Failed jobs, the row's own button. */
export class RerunFromRow extends Rerun {
  readonly statuses = ['failed'];
  async ask(real: Real, jobId: string) {
    if (real.path !== '/failed') await openPage(real, 'Failed jobs');
    // The row offers the re-run, or says it was re-run already ("Re-run as job_…", from the ledger).
    const button = await firstOf(
      () => screen.queryByRole('button', { name: rowRerunName(jobId) }),
      () => screen.queryAllByRole('link', { name: jobId }).some((link) => /Re-run /.test(link.parentElement?.textContent ?? '')),
    );
    if (!button) return false;
    await real.user.click(button);
    // The button gives way to "Queued (full analysis)"; a problem would show beside it instead.
    await waitFor(() => expect(screen.queryByRole('button', { name: rowRerunName(jobId) })).toBeNull(), { timeout: 10_000 });
    return true;
  }
  toString() {
    return `re-run failed job #${this.index} from its row on Failed jobs`;
  }
}

/** On Failed jobs, a failure group's "Re-run all N with full analysis", once its N is every failure of the journey. */
export class RerunGroup implements Cmd {
  check(model: Readonly<Model>) {
    return !model.keyExpired && model.intents.some((intent) => intent.kind === 'unique');
  }
  async run(model: Model, real: Real) {
    const failed = endedJobsOfIntents(model, real, ['failed']);
    // Those already re-run are left out of the group's action (and counted apart).
    const fresh = failed.filter((job) => !model.reruns.has(job.id));
    if (fresh.length === 0) {
      skipped(real, String(this));
      return;
    }
    if (real.path !== '/failed') await openPage(real, 'Failed jobs');
    // Every failure here is internal_error: one group. Its count is read in the background; the person waits for it.
    const label = `Re-run all ${fresh.length} with full analysis`;
    const button = await screen.findByRole('button', { name: label }, { timeout: 15_000 }).catch(() => null);
    if (!button) {
      skipped(real, `${this}: no "${label}" offered`);
      return;
    }
    acted(real, `${this} -> ${fresh.map((job) => job.id).join(', ')}`);
    await real.user.click(button);
    await screen.findByRole('region', { name: 'Re-run batch' }, { timeout: 10_000 });
    for (const job of fresh) model.reruns.set(job.id, job.file.name);
  }
  toString() {
    return 're-run the failure group from Failed jobs';
  }
}

/** On Failed jobs, ticks some failed rows and re-uploads the selection. */
export class RerunSelection implements Cmd {
  constructor(readonly mask: number) {}
  check(model: Readonly<Model>) {
    return !model.keyExpired && model.intents.some((intent) => intent.kind === 'unique');
  }
  async run(model: Model, real: Real) {
    const failed = endedJobsOfIntents(model, real, ['failed']);
    const chosen = failed.filter((_job, index) => (this.mask >> index) & 1);
    const jobs = chosen.length > 0 ? chosen : failed.slice(0, 1);
    if (jobs.length === 0) {
      skipped(real, String(this));
      return;
    }
    if (real.path !== '/failed') await openPage(real, 'Failed jobs');
    const boxes = [];
    for (const job of jobs) {
      const box = await screen.findByRole('checkbox', { name: `Select ${job.id}` }, { timeout: 15_000 }).catch(() => null);
      if (!box) {
        skipped(real, `${this}: ${job.id} not listed yet`);
        return;
      }
      boxes.push(box);
    }
    acted(real, `${this} -> ${jobs.map((job) => job.id).join(', ')}`);
    for (const box of boxes) if (!(box as HTMLInputElement).checked) await real.user.click(box);
    const selection = screen.getByRole('region', { name: 'Selection' });
    // Those of the selection already re-run are left out of its action, and said so.
    const fresh = jobs.filter((job) => !model.reruns.has(job.id));
    if (fresh.length === 0) {
      await real.user.click(within(selection).getByRole('button', { name: 'Clear selection' }));
      return;
    }
    const label = `Re-run ${fresh.length} selected with full analysis`;
    const button = await within(selection).findByRole('button', { name: label }, { timeout: 15_000 }).catch(() => null);
    if (!button) throw new Error(`no "${label}" beside the selection; it says: ${selection.textContent}`);
    await real.user.click(button);
    await screen.findByRole('region', { name: 'Re-run batch' }, { timeout: 15_000 });
    for (const job of fresh) model.reruns.set(job.id, job.file.name);
    // The person clears the selection after acting on it.
    await real.user.click(within(selection).getByRole('button', { name: 'Clear selection' }));
  }
  toString() {
    return `re-run a selection of failed jobs (${this.mask.toString(2)})`;
  }
}

export class Reload implements Cmd {
  check() {
    return true;
  }
  async run(_model: Model, real: Real) {
    acted(real, String(this));
    real.figures.reloads += 1;
    real.view = await reloadApp(real.view, { path: real.path });
    await screen.findByRole('navigation', { name: 'Main' }, { timeout: 10_000 });
  }
  toString() {
    return 'reload the page';
  }
}

export class KeyExpires implements Cmd {
  check(model: Readonly<Model>) {
    return !model.keyExpired;
  }
  async run(model: Model, real: Real) {
    real.harness.simulator.expireKeyNow(real.account.accountId);
    model.keyExpired = true;
    model.faults += 1;
    real.figures.faults += 1;
    real.trace.push(`${new Date(Date.now()).toISOString().slice(11, 23)} ${this}`);
  }
  toString() {
    return 'the key expires (in the dashboard)';
  }
}

/** The person makes a new key in the dashboard and enters it (after the console asked, or from the header). */
export class EnterNewKey implements Cmd {
  check(model: Readonly<Model>) {
    return model.keyExpired;
  }
  async run(model: Model, real: Real) {
    acted(real, String(this));
    await enterNewKey(real);
    model.keyExpired = false;
  }
  toString() {
    return 'enter a new key';
  }
}

async function enterNewKey(real: Real) {
  const key = real.harness.simulator.issueKey(real.account.accountId);
  if (!keyDialogOpen()) await real.user.click(await screen.findByRole('button', { name: /API key$/ }, { timeout: 15_000 }));
  await enterKey(real.user, key);
  await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull(), { timeout: 15_000 });
  real.key = key;
}

export type FaultName = 'storm' | 'maintenance' | 'flaky' | 'flaky-after-accept' | 'stall' | 'processing-failures';

export class Fault implements Cmd {
  constructor(readonly fault: FaultName, readonly size: number) {}
  check() {
    return true;
  }
  async run(model: Model, real: Real) {
    const { simulator } = real.harness;
    const id = real.account.accountId;
    const forced = simulator.account(id).faults.forced;
    switch (this.fault) {
      case 'storm':
        simulator.setFaults(id, { forced: [...forced, { endpoint: '*', code: 'rate_limit_exceeded', retryAfterSeconds: 2 + (this.size % 4), remaining: 2 + this.size }] });
        break;
      case 'maintenance':
        simulator.setFaults(id, { maintenanceSeconds: 2 + this.size * 2, maintenanceRetryAfter: this.size % 2 === 0 ? 'seconds' : 'http-date' });
        break;
      case 'flaky':
        simulator.setFaults(id, { forced: [...forced, { endpoint: '*', code: 'internal_error', probability: 0.3, remaining: 1 + this.size }] });
        break;
      case 'flaky-after-accept':
        simulator.setFaults(id, { forced: [...forced, { endpoint: 'POST /v1/jobs', code: 'internal_error', phase: 'after-accept', remaining: 1 }] });
        break;
      case 'processing-failures':
        // Not a fault of the network: the next jobs fail while processing, so there are failures to re-run.
        simulator.setFaults(id, { processingFailure: { code: 'internal_error', count: 1 + (this.size % 3) } });
        break;
      case 'stall':
        real.stalls.push(stallNext(real.harness, this.size % 2 === 0 ? 'POST' : 'GET'));
        break;
    }
    model.faults += 1;
    real.figures.faults += 1;
    real.trace.push(`${new Date(Date.now()).toISOString().slice(11, 23)} ${this}`);
  }
  toString() {
    return `fault: ${this.fault} (${this.size})`;
  }
}

/** Holds the next request of `method` until released: a stalled connection. */
function stallNext(harness: Harness, method: 'GET' | 'POST') {
  let taken = false;
  let decide: (outcome: 'answer' | 'drop') => void = () => {};
  const decided = new Promise<'answer' | 'drop'>((resolve) => {
    decide = resolve;
  });
  harness.server.use(
    http.all('*/v1/*', async ({ request }) => {
      if (taken || request.method !== method) return undefined;
      taken = true;
      // Stamped before the stall (this handler runs ahead of stampSendTimes'): the log keeps when it was sent.
      if (!request.headers.has(RECEIVED_AT_HEADER)) request.headers.set(RECEIVED_AT_HEADER, String(Date.now()));
      return (await decided) === 'drop' ? HttpResponse.error() : undefined;
    }),
  );
  return { release: decide };
}

export class ReleaseStalls implements Cmd {
  constructor(readonly outcome: 'answer' | 'drop') {}
  check() {
    return true;
  }
  async run(_model: Model, real: Real) {
    for (const stall of real.stalls.splice(0)) stall.release(this.outcome);
    real.trace.push(`${new Date(Date.now()).toISOString().slice(11, 23)} ${this}`);
  }
  toString() {
    return `stalled connections ${this.outcome === 'answer' ? 'answer' : 'drop'}`;
  }
}

export class AdvanceTime implements Cmd {
  constructor(readonly ms: number) {}
  check() {
    return true;
  }
  async run(_model: Model, real: Real) {
    real.trace.push(`${new Date(Date.now()).toISOString().slice(11, 23)} ${this}`);
    await advance(this.ms);
  }
  toString() {
    return `wait ${this.ms / 1000} s`;
  }
}


export function commandArbitraries(): fc.Arbitrary<Cmd>[] {
  const upload = fc
    .record({ unique: fc.integer({ min: 1, max: 4 }), sameBytes: fc.boolean(), refused: fc.boolean() })
    .map(({ unique, sameBytes, refused }) => new PickAndUpload(unique, sameBytes, refused));
  const wait = fc.integer({ min: 1, max: 40 }).map((seconds) => new AdvanceTime(seconds * 1_000));
  // fc.commands picks among these evenly: uploads and waits are listed more than once to come up more often.
  return [
    upload,
    upload,
    upload,
    wait,
    fc.nat(5).map((index) => new CancelUpload(index)),
    fc.nat(5).map((index) => new RetryNow(index)),
    fc.constantFrom<PageName>('Overview', 'Upload', 'Jobs', 'Failed jobs', 'Settings').map((page) => new OpenPage(page)),
    fc.nat(5).map((index) => new RerunFromJobPage(index)),
    fc.nat(5).map((index) => new RerunFromRow(index)),
    fc.constant(new RerunGroup()),
    fc.integer({ min: 1, max: 15 }).map((mask) => new RerunSelection(mask)),
    fc.nat(20).map((index) => new OpenJobPage(index)),
    fc.constant(new Reload()),
    fc.constant(new KeyExpires()),
    fc.constant(new EnterNewKey()),
    fc.record({ fault: fc.constantFrom<FaultName>('storm', 'maintenance', 'flaky', 'flaky-after-accept', 'stall', 'processing-failures', 'processing-failures'), size: fc.integer({ min: 0, max: 8 }) }).map(({ fault, size }) => new Fault(fault, size)),
    fc.constantFrom<'answer' | 'drop'>('answer', 'drop').map((outcome) => new ReleaseStalls(outcome)),
    wait,
  ];
}

/* -------------------------------------------------- one journey, start to end */

/** Every /v1 request carries the time it left, so the simulator logs when it was sent, not when a stall let it through. */
export function stampSendTimes(harness: Harness) {
  harness.server.use(
    http.all('*/v1/*', ({ request }) => {
      if (!request.headers.has(RECEIVED_AT_HEADER)) request.headers.set(RECEIVED_AT_HEADER, String(Date.now()));
      return undefined;
    }),
  );
}

export async function startJourney(harness: Harness, figures: Figures, keyOf: Map<string, string | null>): Promise<{ model: Model; real: Real }> {
  const tier = 'starter';
  const account = harness.account({ tier, timing: { queueMs: [0, 2_000], processMs: [4_000, 20_000] } });
  stampSendTimes(harness);
  keyOf.clear();
  // Signing in lands on the Overview, as for every person.
  const view = renderApp({ path: '/' });
  const user = userEvent.setup({ delay: null });
  await user.click(await screen.findByRole('checkbox', { name: 'Remember on this device' }));
  await enterKey(user, account.keys.full);
  await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull(), { timeout: 15_000 });
  const real: Real = { harness, account, view, user, key: account.keys.full, path: '/', stalls: [], actedAt: [Date.now()], figures, trace: [] };
  return { model: { intents: [], reruns: new Map(), keyExpired: false, faults: 0 }, real };
}

/** The simulator allows again: faults end, stalls answer, a working key is in; the person waits on the Upload page. */
export async function settle(model: Model, real: Real, maxMs = 4 * 60_000): Promise<boolean> {
  for (const stall of real.stalls.splice(0)) stall.release('answer');
  real.harness.simulator.clearFaults(real.account.accountId);
  if (model.keyExpired) {
    // The console learns of the expiry from its next request; the person then enters a new key.
    await advanceUntil(keyDialogOpen, 30_000);
    acted(real, 'enter a new key (settling)');
    await enterNewKey(real);
    model.keyExpired = false;
  }
  if (real.path !== '/upload') await openPage(real, 'Upload');
  // Every file sent for has its row (a reloaded page restores them from IndexedDB), and each row has ended.
  const sendable = model.intents.filter((intent) => intent.kind !== 'refused').map((intent) => intent.name);
  const drained = () => {
    const rows = queueRows();
    const named = new Set(rows.map((row) => row.getAttribute('aria-label')));
    return sendable.every((name) => named.has(name)) && rows.every((row) => ENDED.includes(rowState(row)));
  };
  return advanceUntil(drained, maxMs, 2_000);
}

/** What went wrong in the journey, in words; empty when every promise held. */
export function brokenPromises(model: Model, real: Real, keyOf: Map<string, string | null>, drained: boolean): string[] {
  const problems: string[] = [];
  const rows = new Map<string, HTMLElement>();
  const rerunRows = new Map<string, HTMLElement[]>();
  for (const row of queueRows()) {
    const name = row.getAttribute('aria-label') ?? '';
    // The first row of a name is its upload; later ones are its re-runs (a re-run keeps the file's name).
    if (rows.has(name)) rerunRows.set(name, [...(rerunRows.get(name) ?? []), row]);
    else rows.set(name, row);
  }
  if (!drained) {
    for (const intent of model.intents) if (intent.kind !== 'refused' && !rows.has(intent.name)) problems.push(`${intent.name}: its row is gone from the queue`);
    for (const [name, row] of rows) {
      const state = rowState(row);
      if (!ENDED.includes(state)) problems.push(`${name}: still "${state}" (${row.textContent?.slice(0, 200)}) after the simulator allowed everything`);
    }
  }
  const jobs = real.account.jobs();
  const jobsNamed = (name: string, pipeline = 'transcription') => jobs.filter((job) => job.file.name === name && job.pipeline === pipeline).length;
  const rerunNames = [...model.reruns.values()];
  for (const name of new Set(rerunNames)) {
    // One re-run asked (from a page or a row, once or twice) is one full-analysis job; a refusal shows on its row.
    const count = jobsNamed(name, 'full-analysis');
    const states = (rerunRows.get(name) ?? []).map(rowState);
    if (count > 1) problems.push(`${name}: re-run once, yet ${count} full-analysis jobs`);
    if (count === 0 && !states.includes('Failed')) problems.push(`${name}: re-run asked, yet no full-analysis job and no refusal (rows: ${states.join(', ') || 'none'})`);
    if (count === 1 && !states.includes('Accepted')) problems.push(`${name}: its re-run job was made, but no row says so (rows: ${states.join(', ') || 'none'})`);
  }
  for (const intent of model.intents) {
    const count = jobsNamed(intent.name);
    const row = rows.get(intent.name);
    const state = row ? rowState(row) : null;
    if (intent.kind === 'refused') {
      if (!intent.refusalSeen) problems.push(`${intent.name}: not audio, yet no refusal was shown when it was picked`);
      if (count !== 0) problems.push(`${intent.name}: not audio, yet ${count} job(s)`);
      continue;
    }
    if (intent.cancelled && !intent.restated) {
      if (count > 1) problems.push(`${intent.name}: cancelled, yet ${count} jobs`);
      continue;
    }
    if (count > 1) problems.push(`${intent.name}: ${count} jobs for one intent`);
    const original = intent.kind === 'same-bytes' ? model.intents.find((each) => each.name === intent.copyOf) : undefined;
    if (count === 0 && state === 'Accepted' && original?.cancelled && !original.restated) {
      // Its original was cancelled after its request went out: the copy stands for the bytes and takes the job that
      // request made (one job for the bytes, named after the original), as a lost connection's retry would.
      const forTheBytes = jobsNamed(original.name);
      if (forTheBytes !== 1) problems.push(`${intent.name}: accepted as the job of ${original.name}, but ${forTheBytes} such jobs`);
      continue;
    }
    if (count === 1 && state !== 'Accepted') problems.push(`${intent.name}: one job made, but its row says "${state}"`);
    // A copy of bytes picked with it may be skipped as a repeat (issue 13 item 4), saying so.
    const refused = state === 'Failed' || (intent.kind === 'same-bytes' && state === 'Skipped');
    if (count === 0 && !refused) problems.push(`${intent.name}: no job, and its row says "${state}", not a refusal`);
  }
  const log: KeyedLogEntry[] = real.account.requests().map((entry) => ({ ...entry, key: keyOf.get(entry.requestId) ?? null }));
  problems.push(...requestsInsideRetryAfter(log, 2 * STEP_MS));
  problems.push(
    ...backgroundReadsOverBudget(log, {
      limitPerMinute: TIERS[real.account.tier].requestsPerMinute,
      windowMs: RATE_WINDOW_MS,
      reserveFraction: BACKGROUND_RESERVE_FRACTION,
      personActedAt: real.actedAt,
    }),
  );
  problems.push(...rateLimitsEarned(log));
  return problems;
}

/** Between journeys: the page goes away and the browser forgets everything, as for the harness's own tests. */
export async function endJourney(real: Real | null) {
  for (const stall of real?.stalls.splice(0) ?? []) stall.release('drop');
  cleanup();
  real?.harness.server.resetHandlers();
  keyStore.setState({ key: null, remembered: false, rejectedWith: null, dialogOpen: true });
  settingsEvents().apiBaseChanged(null);
  localStorage.clear();
  sessionStorage.clear();
  await advance(200);
  await clear();
}

/* ------------------------------------------------------ the harness and a run */

/**
 * The App harness, plus what the journeys read besides the simulator: the key
 * of every request, and the page's uncaught errors. Call once per test file.
 */
export function setupModelHarness() {
  const harness = setupAppHarness();
  // The harness hands a Blob itself back from fake-indexeddb's clone (Node cannot clone jsdom's Blob); a record
  // holding one (a kept file: name, hash, bytes) needs the same, or every kept file reads back broken.
  let restoreClone = () => {};
  beforeAll(() => {
    const previous = globalThis.structuredClone;
    globalThis.structuredClone = ((value: unknown, options?: StructuredSerializeOptions) => {
      if (typeof value !== 'object' || value === null || value instanceof Blob || Array.isArray(value)) return previous(value, options);
      const entries = Object.entries(value);
      if (!entries.some(([, field]) => field instanceof Blob)) return previous(value, options);
      const rest = previous(Object.fromEntries(entries.filter(([, field]) => !(field instanceof Blob))), options);
      return { ...rest, ...Object.fromEntries(entries.filter(([, field]) => field instanceof Blob)) };
    }) as typeof structuredClone;
    restoreClone = () => {
      globalThis.structuredClone = previous;
    };
  });
  afterAll(() => restoreClone());
  /** The key each request carried, by the request id the simulator answered with. */
  const keyOf = new Map<string, string | null>();
  harness.server.events.on('response:mocked', ({ request, response }) => {
    const id = response.headers.get('X-Request-Id');
    if (id) keyOf.set(id, /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1] ?? null);
  });
  /** Uncaught errors of the page: window errors, unhandled rejections, console.error (React reports render crashes there). */
  const uncaught: string[] = [];
  const onWindowError = (event: ErrorEvent) => uncaught.push(`window error: ${event.message}`);
  const onRejection = (reason: unknown) => uncaught.push(`unhandled rejection: ${reason instanceof Error ? `${reason.message}\n${reason.stack}` : String(reason)}`);
  beforeEach(() => {
    vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    window.addEventListener('error', onWindowError);
    process.on('unhandledRejection', onRejection);
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      // jsdom 29 does not know HTML's <search> element, which browsers do; React warns about it in jsdom only.
      if (String(args[0]).startsWith('The tag <%s> is unrecognized') && args[1] === 'search') return;
      uncaught.push(`console.error: ${args.map((arg) => (arg instanceof Error ? arg.message : String(arg))).join(' ')}`);
    });
  });
  afterEach(() => {
    window.removeEventListener('error', onWindowError);
    process.off('unhandledRejection', onRejection);
    vi.useRealTimers();
  });
  return { harness, keyOf, uncaught };
}

export type ModelHarness = ReturnType<typeof setupModelHarness>;

/**
 * One journey: sign in on the Upload page, the commands in order (each only
 * where its check holds, as fc.asyncModelRun does), then the simulator allows
 * everything and the person waits; returns the promises broken, in words,
 * with what happened.
 */
export async function runJourney(setup: ModelHarness, commands: Iterable<Cmd>, figures: Figures = emptyFigures()): Promise<string[]> {
  let journey: { model: Model; real: Real } | null = null;
  setup.uncaught.length = 0;
  try {
    journey = await startJourney(setup.harness, figures, setup.keyOf);
    const { model, real } = journey;
    figures.sequences += 1;
    await fc.asyncModelRun(() => ({ model, real }), commands);
    real.trace.push(`settling [real ${Math.round(performance.now())} ms]`);
    const drained = await settle(model, real);
    real.trace.push(`settled [real ${Math.round(performance.now())} ms]`);
    figures.jobs += real.account.jobs().length;
    const problems = [...brokenPromises(model, real, setup.keyOf, drained), ...setup.uncaught];
    if (process.env.NOVAPULSE_MODEL_TRACE === '1') {
      console.info([...real.trace, `jobs: ${real.account.jobs().map((job) => job.file.name).join(', ')}`, `requests: ${real.account.requests().length}`].join('\n'));
    }
    if (problems.length > 0) {
      figures.counterexamples += 1;
      return [...problems, '', 'what happened:', ...real.trace];
    }
    return [];
  } finally {
    await endJourney(journey?.real ?? null);
  }
}
