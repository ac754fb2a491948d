import 'fake-indexeddb/auto';
import { createMemoryHistory } from '@tanstack/react-router';
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { clear, entries, setMany } from 'idb-keyval';
import { HttpResponse, http } from 'msw';
import { StrictMode } from 'react';
import { App } from '../app/app';
import { createAppRouter, preloadAllPages } from '../app/router';
import type { AccountResponse } from '../api/endpoints/get-account';
import { keyStore } from '../features/auth/key-store';
import { settingsEvents } from '../features/settings/settings-store';
import { type CreateAccountOptions, NovaPulseSimulator, type RequestLogEntry, type SimFile, type SimFormValue } from '../mocks/core/simulator';
import { createNodeHost } from '../mocks/node';

/** Where the console under test sends its requests; msw/node answers for the simulator. */
export const APP_API_BASE = 'http://novapulse.app.test';
/** A second endpoint, served by the same simulator, for "change the API endpoint" flows. */
export const OTHER_API_BASE = 'http://novapulse-eu.app.test';

/**
 * A small but well-formed PCM WAV (RIFF, `fmt `, `data`), different for
 * every tag, so no check of the container can refuse it and no two files
 * hash alike.
 */
export function wavBytes(tag: string, sampleCount = 4_000): Uint8Array<ArrayBuffer> {
  const dataBytes = sampleCount * 2;
  const buffer = new ArrayBuffer(44 + dataBytes);
  const view = new DataView(buffer);
  const ascii = (offset: number, text: string) => {
    for (let i = 0; i < text.length; i++) view.setUint8(offset + i, text.charCodeAt(i));
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, 8_000, true); // sample rate
  view.setUint32(28, 16_000, true); // byte rate
  view.setUint16(32, 2, true); // block align
  view.setUint16(34, 16, true); // bits per sample
  ascii(36, 'data');
  view.setUint32(40, dataBytes, true);
  // A quiet tone whose phase depends on the tag: real samples, unique bytes.
  let seed = 0;
  for (const char of tag) seed = (seed * 31 + char.charCodeAt(0)) >>> 0;
  for (let i = 0; i < sampleCount; i++) view.setInt16(44 + i * 2, Math.round(2_000 * Math.sin((i + seed) / 7)), true);
  return new Uint8Array(buffer);
}

/** A WAV file as the person picks it (a jsdom File). */
export function wavFile(name: string, tag = name, sampleCount = 4_000): File {
  return new File([wavBytes(tag, sampleCount)], name, { type: 'audio/wav' });
}

/** The same bytes as the simulator reads a part of a form; jsdom's File hands out buffers Node's crypto refuses. */
function simFile(name: string, bytes: Uint8Array<ArrayBuffer>): SimFile {
  const part = (start = 0, end = bytes.length) => ({ arrayBuffer: async () => bytes.slice(start, end).buffer });
  return { name, size: bytes.length, type: 'audio/wav', slice: part, arrayBuffer: part().arrayBuffer };
}

/** jsdom has no modal dialogs; the console's key dialog needs `showModal` and `close`. */
function polyfillDialog() {
  const proto = globalThis.HTMLDialogElement?.prototype;
  if (!proto || typeof proto.showModal === 'function') return;
  proto.showModal = function showModal(this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  proto.show = function show(this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  proto.close = function close(this: HTMLDialogElement) {
    if (!this.hasAttribute('open')) return;
    this.removeAttribute('open');
    this.dispatchEvent(new Event('close'));
  };
}

/**
 * fake-indexeddb clones values with Node's structuredClone, which cannot
 * clone jsdom's Blob and File. A Blob is immutable, so handing back the same
 * object is what a browser's clone amounts to, also inside a record (a kept
 * file is a record holding its Blob).
 */
function cloneBlobsByReference() {
  const native = globalThis.structuredClone;
  const clone = (value: unknown, options?: StructuredSerializeOptions): unknown => {
    if (value instanceof Blob) return value;
    if (Array.isArray(value)) return value.map((inner) => clone(inner));
    if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
      return Object.fromEntries(Object.entries(value).map(([name, inner]) => [name, clone(inner)]));
    }
    return native(value, options);
  };
  const patched = clone as typeof structuredClone;
  globalThis.structuredClone = patched;
  return () => {
    globalThis.structuredClone = native;
  };
}

/**
 * jsdom's crypto.subtle refuses an ArrayBuffer from Node (the simulator hashes
 * uploads with it); a view over the same bytes is what a browser accepts too.
 */
function digestAcceptsNodeBuffers() {
  const subtle = globalThis.crypto.subtle;
  const native = subtle.digest;
  subtle.digest = ((algorithm: AlgorithmIdentifier, data: BufferSource) =>
    native.call(subtle, algorithm, data instanceof ArrayBuffer ? new Uint8Array(data) : data)) as typeof subtle.digest;
  return () => {
    subtle.digest = native;
  };
}

/**
 * msw turns an XHR body into a fetch Request. Vitest converts jsdom's
 * FormData for Node's Request by reading jsdom's Blob internals under a name
 * jsdom 29 no longer uses, so every file arrived as the text "undefined".
 * This does the same conversion with jsdom 29's field: the bytes the person
 * picked are the bytes the simulator reads.
 */
async function formDataBodiesKeepTheirFiles() {
  const NodeFormData = (await new Response(new URLSearchParams('probe=1')).formData()).constructor as typeof FormData;
  const NodeBlob = (await new Response('').blob()).constructor as typeof Blob;
  const implSymbol = Object.getOwnPropertySymbols(new Blob([]))[0];
  const bytesOf = (blob: Blob): Uint8Array => {
    const impl = implSymbol ? (blob as unknown as Record<symbol, { _bytes?: Uint8Array }>)[implSymbol] : undefined;
    if (!impl?._bytes) throw new Error('render-app: cannot read the bytes of a jsdom Blob; check the jsdom version');
    return impl._bytes;
  };
  const Base = globalThis.Request;
  class RequestKeepingFiles extends Base {
    constructor(input: RequestInfo | URL, init?: RequestInit) {
      if (init?.body instanceof FormData) {
        const form = new NodeFormData();
        init.body.forEach((value, name) => {
          if (value instanceof Blob) form.append(name, new NodeBlob([bytesOf(value) as Uint8Array<ArrayBuffer>], { type: value.type }), (value as File).name);
          else form.append(name, value);
        });
        super(input, { ...init, body: form });
      } else super(input, init);
    }
  }
  globalThis.Request = RequestKeepingFiles;
  return () => {
    globalThis.Request = Base;
  };
}

const XHR_HANDLERS = ['onabort', 'onerror', 'onload', 'onloadend', 'onloadstart', 'onprogress', 'onreadystatechange', 'ontimeout'] as const;

/**
 * msw's XMLHttpRequest interceptor ignores abort() while a handler is still
 * answering: no `abort` event, and the request later ends with the handler's
 * answer. A browser fires `abort` and `loadend` at once and nothing after.
 * Without this a held upload cut off by the console looks, wrongly, as if it
 * were never cut off.
 */
function xhrAbortAsInBrowsers() {
  const Intercepted = globalThis.XMLHttpRequest;
  const isHandler = (property: string | symbol): property is (typeof XHR_HANDLERS)[number] => (XHR_HANDLERS as readonly (string | symbol)[]).includes(property);
  /** Handlers set as on* properties reach the page only until the request is aborted. */
  function silencedAfterAbort<T extends object>(target: T, aborted: () => boolean, self: () => unknown, extra: ProxyHandler<T>['get'] = () => undefined): T {
    const handlers = new Map<string, ((event: Event) => void) | null>();
    return new Proxy(target, {
      get(object, property, receiver) {
        const special = extra(object, property, receiver);
        if (special !== undefined) return special;
        if (isHandler(property)) return handlers.get(property) ?? null;
        const value = Reflect.get(object, property, object);
        return typeof value === 'function' ? value.bind(object) : value;
      },
      set(object, property, value) {
        if (!isHandler(property)) return Reflect.set(object, property, value, object);
        const handler = typeof value === 'function' ? (value as (event: Event) => void) : null;
        handlers.set(property, handler);
        Reflect.set(object, property, handler ? (event: Event) => (aborted() ? undefined : handler.call(self(), event)) : null, object);
        return true;
      },
    });
  }
  const faithful = new Proxy(Intercepted, {
    construct(target, args) {
      const xhr = Reflect.construct(target, args) as XMLHttpRequest;
      let inFlight = false;
      let aborted = false;
      xhr.addEventListener('loadend', () => {
        inFlight = false;
      });
      const upload: XMLHttpRequestUpload = silencedAfterAbort(xhr.upload, () => aborted, (): unknown => upload);
      const proxy: XMLHttpRequest = silencedAfterAbort(xhr, () => aborted, () => proxy, (object, property) => {
        if (property === 'upload') return upload;
        if (property === 'send') {
          return (body?: Document | XMLHttpRequestBodyInit | null) => {
            inFlight = true;
            object.send(body);
          };
        }
        if (property === 'abort') {
          return () => {
            const wasInFlight = inFlight;
            inFlight = false;
            aborted = true;
            object.abort();
            if (!wasInFlight) return;
            // What a browser fires, at once; the handlers were silenced, so call them directly.
            proxy.onabort?.call(proxy, new ProgressEvent('abort'));
            proxy.onloadend?.call(proxy, new ProgressEvent('loadend'));
          };
        }
        return undefined;
      });
      return proxy;
    },
  });
  // msw defines the global read-only (but configurable).
  Object.defineProperty(globalThis, 'XMLHttpRequest', { value: faithful, configurable: true });
  return () => {
    Object.defineProperty(globalThis, 'XMLHttpRequest', { value: Intercepted, configurable: true });
  };
}

function resetBrowserState() {
  keyStore.setState({ key: null, remembered: false, rejectedWith: null, dialogOpen: true });
  settingsEvents().apiBaseChanged(null);
  localStorage.clear();
  sessionStorage.clear();
}

/**
 * The real App in jsdom, over fake-indexeddb, talking to one simulator on
 * msw/node with the real clock. Call once per test file, at the top level;
 * every test gets a clean key store, settings and IndexedDB.
 */
export function setupAppHarness() {
  const simulator = new NovaPulseSimulator({ clock: () => Date.now() });
  const server = createNodeHost(simulator);
  let restoreClone = () => {};
  let restoreDigest = () => {};
  let restoreRequest = () => {};
  let restoreXhr = () => {};

  /** Every /v1 request as it left the console: method, URL and the key it carried. */
  const sent: { method: string; url: URL; key: string | null }[] = [];
  server.events.on('request:start', ({ request }) => {
    const url = new URL(request.url);
    if (!url.pathname.startsWith('/v1/')) return;
    sent.push({ method: request.method, url, key: /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1] ?? null });
  });

  // Pages load on demand: their code is loaded once here, not inside a test's findBy timeout.
  beforeAll(() => preloadAllPages(), 60_000);

  beforeAll(async () => {
    polyfillDialog();
    restoreRequest = await formDataBodiesKeepTheirFiles();
    // The router restores scroll positions; jsdom has no layout to scroll.
    window.scrollTo = () => {};
    restoreClone = cloneBlobsByReference();
    restoreDigest = digestAcceptsNodeBuffers();
    server.listen({ onUnhandledRequest: 'error' });
    restoreXhr = xhrAbortAsInBrowsers();
  });
  beforeEach(() => {
    // The console updates itself in the background on real timers, as in a browser; act() is for code that does not.
    (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;
    sent.length = 0;
    resetBrowserState();
  });
  afterEach(async () => {
    // Unmount first: the App's services stop, so nothing writes the queue after it is cleared.
    cleanup();
    server.resetHandlers();
    resetBrowserState();
    // The queue's last write (made as the App stops) may still be landing: let it, then clear.
    await new Promise((resolve) => setTimeout(resolve, 100));
    await clear();
  });
  afterAll(() => {
    restoreXhr();
    server.close();
    restoreClone();
    restoreDigest();
    restoreRequest();
  });

  return {
    simulator,
    server,
    sent,
    /**
     * Holds the first /v1 request that `matches` until released: as a slow
     * network or a slow server would. `release('answer')` hands it on to the
     * simulator (which then acts on it, whether or not the console still
     * listens); `release('drop')` loses the connection instead.
     */
    holdNext(matches: (request: Request) => boolean | Promise<boolean>) {
      let taken = false;
      let arrive = () => {};
      let decide: (outcome: 'answer' | 'drop') => void = () => {};
      const arrived = new Promise<void>((resolve) => {
        arrive = resolve;
      });
      const decided = new Promise<'answer' | 'drop'>((resolve) => {
        decide = resolve;
      });
      let answered = () => {};
      const done = new Promise<void>((resolve) => {
        answered = resolve;
      });
      server.use(
        http.all('*/v1/*', async ({ request }) => {
          if (taken || !(await matches(request))) return undefined;
          taken = true;
          arrive();
          const outcome = await decided;
          queueMicrotask(answered);
          return outcome === 'drop' ? HttpResponse.error() : undefined;
        }),
      );
      return {
        arrived,
        /** Resolves once the held request has been let go (its answer is then on its way). */
        done,
        release: (outcome: 'answer' | 'drop') => decide(outcome),
      };
    },
    /** A fresh account in the simulator, with its records. */
    account(options: CreateAccountOptions = {}) {
      const handle = simulator.createAccount({ tier: 'starter', timing: { queueMs: [0, 0], processMs: [600_000, 600_000] }, ...options });
      const id = handle.accountId;
      return {
        ...handle,
        requests: (): RequestLogEntry[] => simulator.requestLog(id),
        uploadsAnswered: () => simulator.requestLog(id).filter((entry) => entry.method === 'POST' && entry.path === '/v1/jobs'),
        jobs: () => simulator.account(id).jobs,
        /** GET /v1/account as NovaPulse answers it, asked with the read-only key (its own rate-limit window). */
        async accountView() {
          const response = await simulator.handle({ method: 'GET', path: '/v1/account', authorization: `Bearer ${handle.keys.readOnly}` });
          if (response.status !== 200 || !('body' in response)) throw new Error(`the simulator refused GET /v1/account: ${response.status}`);
          return response.body as AccountResponse;
        },
        /** Starts a job directly in the simulator, as another client of the account would. */
        async startJobElsewhere(name: string) {
          const form = new Map<string, SimFormValue>([
            ['file', simFile(name, wavBytes(`elsewhere:${name}`))],
            ['pipeline', 'transcription'],
            ['language', 'en-US'],
          ]);
          const response = await simulator.handle({ method: 'POST', path: '/v1/jobs', authorization: `Bearer ${handle.keys.full}`, form });
          if (response.status !== 202) throw new Error(`the simulator refused the outside job: ${response.status}`);
          return (response as { body: { job: { id: string } } }).body.job.id;
        },
      };
    },
  };
}

export type SimAccountHandle = ReturnType<ReturnType<typeof setupAppHarness>['account']>;

/** Renders the App as main.tsx does (StrictMode), with a memory history at `path`. */
export function renderApp(options: { apiBase?: string; path?: string } = {}) {
  const router = createAppRouter(createMemoryHistory({ initialEntries: [options.path ?? '/'] }));
  const user = userEvent.setup();
  const view = render(
    <StrictMode>
      <App config={{ demo: false, apiBase: options.apiBase ?? APP_API_BASE }} router={router} />
    </StrictMode>,
  );
  return { ...view, user, router };
}

/**
 * A page reload. The page hears `pagehide` and may write then; after that its
 * JavaScript just stops, running none of its own teardown, and IndexedDB
 * keeps what was written until then. Unmounting the App runs React's cleanup
 * (the services stop), so what is in IndexedDB at the moment of the reload is
 * put back afterwards. Then the modules load afresh (the key store reads what
 * was remembered, the queue store reads IndexedDB) and a new App renders.
 */
export async function reloadApp(
  view: ReturnType<typeof renderApp>,
  options: { apiBase?: string; path?: string; /** Runs after the old page is gone, before the new one loads. */ whileGone?: () => Promise<void> } = {},
) {
  window.dispatchEvent(new Event('pagehide'));
  // What pagehide started writing lands while the browser tears the page down.
  await new Promise((resolve) => setTimeout(resolve, 100));
  const storedAtReload = await entries();
  view.unmount();
  // Let whatever the teardown wrote land, then undo it: a reloading page gets no teardown.
  await new Promise((resolve) => setTimeout(resolve, 100));
  await clear();
  await setMany(storedAtReload);
  await options.whileGone?.();
  vi.resetModules();
  const [{ App: FreshApp }, { createAppRouter: freshRouter }] = await Promise.all([import('../app/app'), import('../app/router')]);
  const router = freshRouter(createMemoryHistory({ initialEntries: [options.path ?? '/'] }));
  const fresh = render(
    <StrictMode>
      <FreshApp config={{ demo: false, apiBase: options.apiBase ?? APP_API_BASE }} router={router} />
    </StrictMode>,
  );
  return { ...fresh, user: view.user, router };
}

/** A multipart upload's file name, read from a copy of the request. */
export async function uploadedFileName(request: Request): Promise<string | null> {
  if (request.method !== 'POST' || !new URL(request.url).pathname.endsWith('/v1/jobs')) return null;
  const file = (await request.clone().formData()).get('file');
  return file && typeof file !== 'string' ? file.name : null;
}

/* ------------------------------------------------------------ screen steps */

type User = ReturnType<typeof userEvent.setup>;

/** The open key dialog (role dialog, named by its title). */
export function keyDialog(name?: RegExp | string) {
  return screen.getByRole('dialog', name ? { name } : undefined);
}

/** Pastes a key into the open key dialog and confirms it, as a person copying it from the dashboard would. */
export async function enterKey(user: User, key: string) {
  const dialog = await screen.findByRole('dialog');
  const input = within(dialog).getByLabelText('API key');
  await user.clear(input);
  await user.click(input);
  await user.paste(key);
  await user.click(within(dialog).getByRole('button', { name: 'Use this key' }));
}

export async function goTo(user: User, page: 'Overview' | 'Upload' | 'Jobs' | 'Failed jobs' | 'Settings') {
  const nav = screen.getByRole('navigation', { name: 'Main' });
  await user.click(within(nav).getByRole('link', { name: page }));
}

/** Picks files in the upload form and submits them; resolves once they are in the queue. */
export async function uploadFiles(user: User, files: File[]) {
  const input = screen.getByLabelText('Choose audio files');
  await waitFor(() => expect(input).toBeEnabled(), { timeout: 5_000 });
  await user.upload(input, files);
  const submit = await screen.findByRole('button', { name: `Upload ${files.length} ${files.length === 1 ? 'file' : 'files'}` }, { timeout: 5_000 });
  await waitFor(() => expect(submit).toBeEnabled(), { timeout: 5_000 });
  await user.click(submit);
  for (const file of files) await screen.findByRole('listitem', { name: file.name }, { timeout: 5_000 });
}

/** The queue row of one upload. */
export function queueRow(fileName: string) {
  return screen.getByRole('listitem', { name: fileName });
}

/** Renders the App, signs in with the account's full key and opens the Upload page, ready to pick files. */
export async function signedInOnUpload(account: SimAccountHandle, options: { remember?: boolean } = {}) {
  const view = renderApp();
  if (options.remember) await view.user.click(await screen.findByRole('checkbox', { name: 'Remember on this device' }));
  await enterKey(view.user, account.keys.full);
  await goTo(view.user, 'Upload');
  await screen.findByRole('heading', { name: 'Upload audio' });
  return view;
}

/** Rows waiting while the key is refused say so (not "a free slot"). */
export const WAITING_FOR_KEY = /Waiting for an API key|paused until a new API key is set/;

/** The upload is held in the queue, waiting (its file checked) for what `reason` names, neither failed nor cancelled. */
export async function expectWaiting(fileName: string, reason: string | RegExp = 'Waiting for a free slot') {
  await waitFor(() => expect(queueRow(fileName)).toHaveTextContent(reason), { timeout: 5_000 });
  expect(queueRow(fileName)).not.toHaveTextContent(/Failed|Cancelled/);
}

/** The simulator's jobs per file name: exactly one each means nothing was lost or sent twice. */
export function jobsPerFile(account: SimAccountHandle): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const job of account.jobs()) counts[job.file.name] = (counts[job.file.name] ?? 0) + 1;
  return counts;
}
