import { isWellFormedApiKey } from './api-key-format';

// Written against survivors of the mutation run (docs/mutation-testing.md).
// api-contract.md: `np_live_` or `np_test_` followed by 32 characters of [A-Za-z0-9].

const TAIL = 'abcdefghijklmnopqrstuvwxyzABCD12';

describe('isWellFormedApiKey', () => {
  it('takes exactly the prefix and 32 characters, nothing before or after', () => {
    expect(isWellFormedApiKey(`np_live_${TAIL}`)).toBe(true);
    expect(isWellFormedApiKey(`np_test_${TAIL}`)).toBe(true);
    expect(isWellFormedApiKey(`np_live_${TAIL}3`)).toBe(false);
    expect(isWellFormedApiKey(`Bearer np_live_${TAIL}`)).toBe(false);
    expect(isWellFormedApiKey(`xnp_live_${TAIL}`)).toBe(false);
    expect(isWellFormedApiKey(`np_live_${TAIL.slice(1)}`)).toBe(false);
  });
});
