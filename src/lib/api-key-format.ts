/** NovaPulse keys: `np_live_` or `np_test_` followed by 32 characters of [A-Za-z0-9]. */
export const API_KEY_PATTERN = /^np_(live|test)_[A-Za-z0-9]{32}$/;

export function isWellFormedApiKey(key: string): boolean {
  return API_KEY_PATTERN.test(key);
}
