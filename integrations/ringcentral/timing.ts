/**
 * @module integrations/ringcentral/timing
 * Waiting helpers: an abortable sleep (closing the client wakes every waiter), jitter, and the
 * capped exponential backoff used for 5xx and network retries.
 */
import { RingCentralUnavailableError } from './errors.ts'

/** Resolves after `ms`, or rejects with {@link RingCentralUnavailableError} when `signal` aborts. */
export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new RingCentralUnavailableError('RingCentral client is closed'))
      return
    }
    const onAbort = () => {
      clearTimeout(timer)
      reject(new RingCentralUnavailableError('RingCentral client is closed'))
    }
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      },
      Math.max(0, ms),
    )
    signal?.addEventListener('abort', onAbort, { once: true })
  })

/** `ms` scaled by a random factor in [1 - spread, 1 + spread], so replicas do not wake together. */
export const jitter = (ms: number, spread = 0.25): number =>
  Math.max(0, ms * (1 - spread + Math.random() * 2 * spread))

/**
 * Delay before retry number `attempt` (0-based): `baseMs * 2^attempt`, capped at `maxMs`, then
 * "equal jitter" (half fixed, half random) so it never collapses to zero.
 */
export const backoffDelay = (attempt: number, baseMs: number, maxMs: number): number => {
  const capped = Math.min(maxMs, baseMs * 2 ** attempt)
  return capped / 2 + Math.random() * (capped / 2)
}

/** `promise`, or a {@link RingCentralUnavailableError} after `ms` (the promise keeps running). */
export const withTimeout = <T>(promise: Promise<T>, ms: number, what = 'operation'): Promise<T> => {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new RingCentralUnavailableError(`${what} took over ${ms} ms`)),
      ms,
    )
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
