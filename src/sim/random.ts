/** A seeded source of uniform numbers in [0, 1): the simulator's only randomness, so that a run can be replayed. */
export type Rng = () => number;

/** A small, fast seeded generator (mulberry32); the same seed gives the same sequence. */
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A uniform number in [lo, hi). */
export function uniform(rng: Rng, lo: number, hi: number): number {
  return lo + (hi - lo) * rng();
}

/** A standard normal number (mean 0, standard deviation 1), by the Box–Muller transform. */
export function gaussian(rng: Rng): number {
  const u = 1 - rng(); // (0, 1]: log(0) would be -Infinity
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** A child generator for one member, so that members do not disturb each other's sequences. */
export function forkRng(rng: Rng): Rng {
  return createRng(Math.floor(rng() * 4_294_967_296));
}
