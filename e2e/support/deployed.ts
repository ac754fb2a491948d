import { type APIRequestContext, test as base } from '@playwright/test';
import type { DeployedOptions } from '../../playwright.config';

/** The test of a deployed console: `api` reaches the simulator's control API (/__sim) on the API's own origin. */
export const test = base.extend<DeployedOptions & { api: APIRequestContext }>({
  apiURL: ['', { option: true }],
  headersExposed: [true, { option: true }],
  distDir: ['', { option: true }],
  // The test's own requests carry no Origin: they need no CORS.
  api: async ({ playwright, apiURL }, use) => {
    const api = await playwright.request.newContext({ baseURL: apiURL });
    await use(api);
    await api.dispose();
  },
});
