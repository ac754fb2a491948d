import { msUntilNextSecond, secondsUntil } from './countdown';

const NOW = Date.UTC(2026, 10, 25, 10, 0, 0);

describe('secondsUntil', () => {
  it('rounds a part of a second up, and reads 0 at and after the deadline', () => {
    expect(secondsUntil(NOW + 40_000, NOW)).toBe(40);
    expect(secondsUntil(NOW + 39_001, NOW)).toBe(40);
    expect(secondsUntil(NOW + 200, NOW)).toBe(1);
    expect(secondsUntil(NOW, NOW)).toBe(0);
    expect(secondsUntil(NOW - 5_000, NOW)).toBe(0);
  });
});

describe('msUntilNextSecond', () => {
  it('is null when no countdown runs', () => {
    expect(msUntilNextSecond(NOW, [])).toBeNull();
    expect(msUntilNextSecond(NOW, [NOW, NOW - 1, 0])).toBeNull();
  });

  it('lands on the deadline’s own second boundary', () => {
    // 40.3 s left shows "41 s" until 40 s are left: 300 ms from now.
    expect(msUntilNextSecond(NOW, [NOW + 40_300])).toBe(300);
    // Exactly 40 s left shows "40 s" for one more second.
    expect(msUntilNextSecond(NOW, [NOW + 40_000])).toBe(1_000);
    // The last tick is the deadline itself.
    expect(msUntilNextSecond(NOW, [NOW + 700])).toBe(700);
  });

  it('takes the soonest change among several countdowns', () => {
    expect(msUntilNextSecond(NOW, [NOW + 40_300, NOW + 12_050, NOW - 1_000])).toBe(50);
  });
});
