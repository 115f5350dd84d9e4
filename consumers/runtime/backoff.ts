/**
 * @module consumers/runtime/backoff
 * How long a failed message waits before its next attempt: exponential backoff with full jitter
 * (a uniformly random wait below min(maxMs, baseMs · 2^(attempt−1))), so retries of many messages
 * failing together spread out instead of hitting the recovering service at once.
 */

export interface BackoffPolicy {
  readonly baseMs: number
  readonly maxMs: number
}

/**
 * The wait after failed attempt `attempt` (1 for the first delivery). `random` returns a value in
 * [0, 1), like Math.random (the default); tests pass a fixed one.
 *
 * @example
 * ```ts
 * retryDelayMs(3, { baseMs: 1_000, maxMs: 600_000 }, () => 0.5) // 2000: half of 4000
 * ```
 */
export const retryDelayMs = (
  attempt: number,
  { baseMs, maxMs }: BackoffPolicy,
  random: () => number = Math.random,
): number => {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1))
  return Math.floor(Math.min(1, Math.max(0, random())) * ceiling)
}
