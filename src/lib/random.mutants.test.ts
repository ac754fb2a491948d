import { pick, systemClock } from './random';

// Written against survivors of the mutation run (docs/mutation-testing.md).

describe('pick', () => {
  it('maps the whole of [0, 1) over the list: low numbers the first item, high ones the last', () => {
    const items = ['a', 'b', 'c', 'd'];
    expect(pick(() => 0, items)).toBe('a');
    expect(pick(() => 0.5, items)).toBe('c');
    expect(pick(() => 0.99, items)).toBe('d');
  });

  it('refuses an empty list rather than answer undefined', () => {
    expect(() => pick(() => 0.5, [])).toThrow('pick from an empty list');
  });
});

describe('systemClock', () => {
  it('reads the wall clock in epoch milliseconds', () => {
    const before = Date.now();
    const read = systemClock();
    expect(read).toBeGreaterThanOrEqual(before);
    expect(read).toBeLessThanOrEqual(Date.now());
  });
});
