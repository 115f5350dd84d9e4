/**
 * @module platform/kv/support
 * Argument checks and the waiting loop shared by the kv adapters, so both reject the same bad
 * input the same way and wait for semaphore slots with the same backoff.
 */
import type { SemaphoreOptions } from './port.ts'

/**
 * Checks a time to live and rounds it up to whole milliseconds (Redis PX takes integers).
 * @throws RangeError when `ttlMs` is not a positive finite number.
 */
export const wholeTtl = (ttlMs: number, what = 'ttlMs'): number => {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new RangeError(`${what} must be a positive number of milliseconds, got ${ttlMs}`)
  }
  return Math.ceil(ttlMs)
}

/**
 * Checks an increment step: Redis INCRBY only takes integers.
 * @throws RangeError when `by` is not a safe integer.
 */
export const integerStep = (by: number): number => {
  if (!Number.isSafeInteger(by))
    throw new RangeError(`increment step must be an integer, got ${by}`)
  return by
}

/** Semaphore options after checking, with integer lease time and the wait defaulted to 0. */
export interface CheckedSemaphoreOptions {
  readonly limit: number
  readonly leaseMs: number
  readonly waitMs: number
}

/**
 * Checks semaphore options.
 * @throws RangeError on a non-positive-integer limit, a bad leaseMs or a negative waitMs.
 */
export const checkSemaphoreOptions = (options: SemaphoreOptions): CheckedSemaphoreOptions => {
  const { limit, leaseMs, waitMs = 0 } = options
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new RangeError(`semaphore limit must be a positive integer, got ${limit}`)
  }
  if (!Number.isFinite(waitMs) || waitMs < 0) {
    throw new RangeError(`semaphore waitMs must be zero or more, got ${waitMs}`)
  }
  return { limit, leaseMs: wholeTtl(leaseMs, 'leaseMs'), waitMs }
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms)
  })

const firstDelayMs = 5
const maxDelayMs = 100

/**
 * Calls `attempt` until it gives a non-null result or `waitMs` (real time) has passed, sleeping
 * with jittered exponential backoff (5 ms doubling to 100 ms) in between. Always attempts once,
 * and once more at the deadline. `pause` lets an adapter wake the loop early (memory kv wakes
 * waiters when a lease is released).
 */
export const retryUntil = async <T>(
  attempt: () => Promise<T | null>,
  waitMs: number,
  pause: (ms: number) => Promise<void> = sleep,
): Promise<T | null> => {
  const deadline = performance.now() + waitMs
  let delay = firstDelayMs
  for (;;) {
    const result = await attempt()
    if (result !== null) return result
    const remaining = deadline - performance.now()
    if (remaining <= 0) return null
    await pause(Math.min(delay * (0.5 + Math.random()), remaining))
    delay = Math.min(delay * 2, maxDelayMs)
  }
}
