// The campaign's only source of chance: every choice (which customer does
// what, which fault comes when) is drawn from one seeded generator, so that
// `--seed N` plays the same schedule again. Mulberry32: 32 bits of state, a
// handful of lines, good enough for schedules (docs/decisions/0009-chaos.md).
export type Random = {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** A generator of its own, seeded from this one: one per customer, so they do not shift each other's draws. */
  fork(): Random;
};

export function random(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const self: Random = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)]!,
    fork: () => random(Math.floor(next() * 4294967296)),
  };
  return self;
}
