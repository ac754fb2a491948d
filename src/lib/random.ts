/** A source of uniform numbers in [0, 1); injected wherever chance matters so tests can fix it. */
export type RandomSource = () => number;

/** Clock in epoch milliseconds; injected wherever time matters so tests can run minutes in milliseconds. */
export type Clock = () => number;

export const systemRandom: RandomSource = () => Math.random();
export const systemClock: Clock = () => Date.now();

/** Deterministic PRNG (mulberry32) for seeded demo data and reproducible tests. */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: RandomSource, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}
