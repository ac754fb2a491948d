import { z } from './schemas';
import type { Exchange } from './client';
import type { ExchangeLog } from './exchange-log';

type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem'>;
type PageEvents = Pick<Window, 'addEventListener' | 'removeEventListener'>;

const STORAGE_ITEM = 'novapulse.request-log';
const STORED_VERSION = 1;
/** Writes are gathered: a batch of uploads answers many times a second, and each write is the whole log. */
const WRITE_DELAY_MS = 1_000;

/**
 * One kept exchange: what the request log shows and nothing more. The rate-limit reading and the unreadable headers
 * are left out (they describe the key's window then, not now), and so is anything else an entry may hold: an object
 * schema keeps only the fields it names.
 */
const storedExchangeSchema = z.object({
  method: z.enum(['GET', 'POST', 'DELETE']),
  path: z.string().check(z.regex(/^\/v1\//)),
  query: z.optional(z.string()),
  startedAt: z.number().check(z.int(), z.nonnegative()),
  endedAt: z.number().check(z.int(), z.nonnegative()),
  status: z.nullable(z.number().check(z.int(), z.gte(100), z.lte(599))),
  requestId: z.nullable(z.string()),
  code: z.nullable(z.string()),
  retryAfterMs: z.nullable(z.number().check(z.nonnegative())),
  uploadId: z.optional(z.string()),
  fileName: z.optional(z.string()),
});

const storedLogSchema = z.object({ version: z.literal(STORED_VERSION), exchanges: z.array(z.unknown()) });

type StoredExchange = z.infer<typeof storedExchangeSchema>;

function stored(exchange: Exchange): StoredExchange {
  const { method, path, query, startedAt, endedAt, status, requestId, code, retryAfterMs, uploadId, fileName } = exchange;
  return storedExchangeSchema.parse({ method, path, query, startedAt, endedAt, status, requestId, code, retryAfterMs, uploadId, fileName });
}

/** The text kept for the tab: the exchanges (the log holds its newest 500), as the request log shows them. */
export function storedExchangesText(exchanges: readonly Exchange[]): string {
  const kept: StoredExchange[] = [];
  for (const exchange of exchanges) {
    try {
      kept.push(stored(exchange));
    } catch {
      // An exchange the schema would refuse on reading back is not written either.
    }
  }
  return JSON.stringify({ version: STORED_VERSION, exchanges: kept });
}

/**
 * What an earlier page load of this tab kept, oldest first, each entry checked on its own: a corrupt or foreign entry
 * is dropped, an unreadable text gives nothing. Ids are this page's own counter's, so the kept ones are numbered
 * below it (-n … -1), in order.
 */
export function readEarlierExchanges(storage: Pick<Storage, 'getItem'> | null): Exchange[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(storage?.getItem(STORAGE_ITEM) ?? 'null');
  } catch {
    return [];
  }
  const log = storedLogSchema.safeParse(parsed);
  if (!log.success) return [];
  const kept = log.data.exchanges.flatMap((entry) => {
    const exchange = storedExchangeSchema.safeParse(entry);
    return exchange.success ? [exchange.data] : [];
  });
  return kept.map((exchange, index) => ({ ...exchange, id: index - kept.length, rateLimit: null }));
}

/** sessionStorage where the platform has it and allows it (a sandboxed frame may not). */
export function tabStorage(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null;
  }
}

/**
 * Keeps `log` in the tab's storage: at most once a second while requests end, and at once when the page goes away
 * (`pagehide`, which a reload fires) or the console stops. Returns the stop.
 */
export function keepExchangeLog(log: ExchangeLog, options: { storage: KeyValueStorage | null; events?: PageEvents | null; delayMs?: number }): () => void {
  const { storage } = options;
  const events = options.events === undefined ? (typeof window === 'undefined' ? null : window) : options.events;
  if (!storage) return () => {};
  let timer: ReturnType<typeof setTimeout> | null = null;
  const write = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    try {
      storage.setItem(STORAGE_ITEM, storedExchangesText(log.list()));
    } catch {
      // A full or blocked storage loses only the history a reload would show; the log in memory goes on.
    }
  };
  const unsubscribe = log.subscribe(() => {
    timer ??= setTimeout(write, options.delayMs ?? WRITE_DELAY_MS);
  });
  events?.addEventListener('pagehide', write);
  return () => {
    unsubscribe();
    events?.removeEventListener('pagehide', write);
    if (timer !== null) write();
  };
}

/** The tab's log: what an earlier page load kept comes back (read before the first write, which would replace it), then this page's is kept. */
export function keepExchangeLogInTab(log: ExchangeLog): () => void {
  const storage = tabStorage();
  log.earlierRestored(readEarlierExchanges(storage));
  return keepExchangeLog(log, { storage });
}
