import { type APIRequestContext, expect, type Page } from '@playwright/test';

export interface TestAccount {
  account_id: string;
  tier: 'starter' | 'growth' | 'enterprise';
  keys: { full: string; readOnly: string; expired: string };
}

/** A fresh, isolated simulator account for one test: its own keys, rate-limit window and jobs. */
export async function createAccount(request: APIRequestContext, options: Record<string, unknown> = {}): Promise<TestAccount> {
  const response = await request.post('/__sim/accounts', { data: options });
  expect(response.status()).toBe(201);
  return (await response.json()) as TestAccount;
}

export async function setFaults(request: APIRequestContext, accountId: string, faults: Record<string, unknown>) {
  const response = await request.post(`/__sim/accounts/${accountId}/faults`, { data: faults });
  expect(response.ok()).toBe(true);
}

export async function expireKey(request: APIRequestContext, accountId: string) {
  expect((await request.post(`/__sim/accounts/${accountId}/expire-key`)).ok()).toBe(true);
}

export async function issueKey(request: APIRequestContext, accountId: string): Promise<string> {
  const response = await request.post(`/__sim/accounts/${accountId}/keys`);
  return ((await response.json()) as { key: string }).key;
}

export interface LoggedRequest {
  requestId: string;
  method: string;
  path: string;
  status: number;
  code: string | null;
  startedAt: number;
  answeredAt: number;
  retryAfter: string | null;
  fileName: string | null;
  /** The query string as sent ("" when none). */
  query: string;
  /** The Origin header the request came with (null when none). */
  origin: string | null;
}

/**
 * A GET of the simulator's records, read again once if the connection was reset: Node's HTTP server closes a
 * keep-alive connection idle for 5 s, and a poll that reuses it just then meets ECONNRESET (the test's own read,
 * not the console's).
 */
async function simGet(request: APIRequestContext, path: string) {
  try {
    return await request.get(path);
  } catch (error) {
    if (!/ECONNRESET|socket hang up/.test(String(error))) throw error;
    return await request.get(path);
  }
}

export async function requestLog(request: APIRequestContext, accountId: string): Promise<LoggedRequest[]> {
  const response = await simGet(request, `/__sim/accounts/${accountId}/requests`);
  return ((await response.json()) as { requests: LoggedRequest[] }).requests;
}

export async function accountJobs(request: APIRequestContext, accountId: string) {
  const response = await simGet(request, `/__sim/accounts/${accountId}/jobs`);
  return ((await response.json()) as { jobs: { id: string; status: string; file: { name: string } }[] }).jobs;
}

/** Opens the console and enters `key` in the key dialog, as a person would. */
export async function signIn(page: Page, key: string, path = '/') {
  await page.goto(path);
  const dialog = page.getByRole('dialog', { name: /API key/i });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('API key', { exact: true }).fill(key);
  await dialog.getByRole('button', { name: 'Use this key' }).click();
  await expect(dialog).toBeHidden();
}
