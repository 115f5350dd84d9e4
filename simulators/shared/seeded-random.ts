/**
 * @module simulators/shared/seeded-random
 * mulberry32: a small, fast, seedable PRNG with uniform output in [0, 1). Equal seeds give equal
 * sequences, so the simulators' ids and faults, the demo's calls and the benchmarks' data replay.
 */
export const seededRandom = (seed: number): (() => number) => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
