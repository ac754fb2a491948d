import { msUntilNextSecond } from './countdown';

// Written against survivors of the mutation run (docs/mutation-testing.md).

const NOW = Date.UTC(2026, 10, 25, 10, 0, 0);

describe('msUntilNextSecond', () => {
  it('takes the soonest change whatever the order of the countdowns', () => {
    expect(msUntilNextSecond(NOW, [NOW + 12_050, NOW + 40_300])).toBe(50);
    expect(msUntilNextSecond(NOW, [NOW + 40_300, NOW + 12_050])).toBe(50);
  });
});
