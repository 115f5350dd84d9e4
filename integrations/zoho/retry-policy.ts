/**
 * @module integrations/zoho/retry-policy
 * When a failed Zoho request is sent again, and after how long. Pure, so the rules are tested
 * without a server.
 *
 * The idempotency rule:
 * - Idempotent requests (GET, PUT, PATCH, DELETE, and POSTs keyed by the caller, such as a watch
 *   channel id) are retried on 429, 5xx, timeouts and network errors.
 * - Creating POSTs (records, calls, notes, attachments) are retried only when Zoho cannot have
 *   applied them: 429 (Zoho rejects at the concurrency/credit gate before doing any work) and
 *   failures to connect (nothing was sent). A 5xx, a timeout or a reset after sending is
 *   ambiguous: the record may exist, and Zoho has no idempotency key, so the client stops and
 *   reports `outcomeUnknown` instead of risking a duplicate.
 * - A body that cannot be replayed (a streamed upload) is never sent twice by the client.
 */

/** Retry settings. */
export interface RetryOptions {
  /** Attempts in total, the first included. Default 5. */
  readonly attempts?: number
  /** First backoff ceiling in ms; doubles per attempt. Default 250. */
  readonly baseMs?: number
  /** Largest backoff ceiling in ms. Default 8000. */
  readonly maxMs?: number
}

/** Retry settings with defaults applied. */
export interface RetrySettings {
  readonly attempts: number
  readonly baseMs: number
  readonly maxMs: number
}

/**
 * Applies defaults and checks the values.
 * @throws RangeError on attempts < 1 or negative delays.
 */
export const retrySettings = ({
  attempts = 5,
  baseMs = 250,
  maxMs = 8000,
}: RetryOptions = {}): RetrySettings => {
  if (!Number.isSafeInteger(attempts) || attempts < 1) {
    throw new RangeError(`retries.attempts must be a positive integer, got ${attempts}`)
  }
  if (!(baseMs >= 0) || !(maxMs >= baseMs)) {
    throw new RangeError(`retries need 0 <= baseMs <= maxMs, got ${baseMs} and ${maxMs}`)
  }
  return { attempts, baseMs, maxMs }
}

/**
 * "Full jitter" backoff: a uniformly random delay between 0 and min(maxMs, baseMs * 2^n), where
 * n counts the retries already made (0 before the first retry). Spreads replicas that failed
 * together, which matters because Zoho sends no Retry-After.
 */
export const backoffDelayMs = (
  retry: number,
  { baseMs, maxMs }: RetrySettings,
  random: () => number = Math.random,
): number => Math.floor(random() * Math.min(maxMs, baseMs * 2 ** retry))

/** What went wrong with one attempt, as far as retrying is concerned. */
export type AttemptFailure =
  /** HTTP 429: rejected before any work. */
  | 'rate-limited'
  /** HTTP 5xx: may or may not have been applied. */
  | 'server-error'
  /** No answer in time after sending. */
  | 'timeout'
  /** The connection could not be opened: nothing was sent. */
  | 'connect-failed'
  /** The connection broke after (part of) the request was sent. */
  | 'network-error'

/** Whether a failed attempt may be sent again. */
export const mayRetry = (
  failure: AttemptFailure,
  request: { readonly idempotent: boolean; readonly replayable: boolean },
): boolean => {
  if (!request.replayable) return false
  if (request.idempotent) return true
  return failure === 'rate-limited' || failure === 'connect-failed'
}

/** Whether a non-idempotent request may have been applied although it failed this way. */
export const outcomeUnknown = (
  failure: AttemptFailure,
  request: { readonly idempotent: boolean },
): boolean => !request.idempotent && failure !== 'rate-limited' && failure !== 'connect-failed'

/** Error codes (undici / Node) that mean the connection was never established. */
const connectCodes = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
])

/** Classifies an error thrown by fetch (not an HTTP status). */
export const fetchFailure = (error: unknown): 'timeout' | 'connect-failed' | 'network-error' => {
  if (
    error instanceof DOMException &&
    (error.name === 'TimeoutError' || error.name === 'AbortError')
  )
    return 'timeout'
  let current: unknown = error
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    const code = 'code' in current ? current.code : undefined
    if (typeof code === 'string' && connectCodes.has(code)) return 'connect-failed'
    current = current.cause
  }
  return 'network-error'
}
