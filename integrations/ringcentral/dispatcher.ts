/**
 * @module integrations/ringcentral/dispatcher
 * Sends one logical request through the RingCentral SDK, with everything around it: a slot from
 * the shared budget before EVERY attempt, the shared pause on 429 (Retry-After, default 60 s),
 * bounded exponential backoff for 5xx and network errors (only when repeating is safe), one
 * re-authorisation on 401, and error mapping (errors.ts).
 *
 * The SDK's own retry logic is switched off per request with `retry: true` (in the SDK that flag
 * means "this already is the retry", so it rethrows 401/429 instead of retrying them itself).
 */
import type { SDK } from '@ringcentral/sdk'
import type { Budgets, RateLimitGroup } from './budget.ts'
import {
  describeRequest,
  isTokenError,
  type Redact,
  RingCentralUnavailableError,
  toApiError,
} from './errors.ts'
import type { RingCentralLogger } from './logger.ts'
import { backoffDelay, sleep } from './timing.ts'

type Platform = ReturnType<SDK['platform']>

/** Query values; `undefined` ones are left out, arrays repeat the key. */
export type Query = Record<string, string | number | boolean | readonly string[] | undefined>

/** One logical request. */
export interface ApiRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  /** A path on the platform server (`/restapi/v1.0/…`) or an absolute URL (media host). */
  readonly url: string
  readonly query?: Query
  readonly body?: unknown
  readonly headers?: Readonly<Record<string, string>>
  /** Whether it may be repeated after a 5xx or a network error. Default: GET, PUT and DELETE. */
  readonly idempotent?: boolean
}

/** Per-call hooks: how authentication takes part in the attempt loop. */
export interface SendHooks {
  /** Runs before each attempt, e.g. to load the shared token into the SDK. */
  readonly prepare?: () => Promise<void>
  /** Called at most once, on a 401, with the access token that was sent; true retries. */
  readonly onUnauthorized?: (rejectedAccessToken: string) => Promise<boolean>
  /** Send without the SDK's bearer token (the token endpoint authenticates with Basic). */
  readonly skipAuth?: boolean
}

/** Options for {@link createDispatcher}. */
export interface DispatcherOptions {
  readonly platform: Platform
  readonly budgets: Budgets
  readonly redact: Redact
  readonly logger: RingCentralLogger
  readonly signal: AbortSignal
  /** Retries after 5xx / network errors. Default 3. */
  readonly maxRetries?: number
  /** Retries after 429s (each waits Retry-After). Default 3. */
  readonly maxRateLimitRetries?: number
  readonly baseDelayMs?: number
  readonly maxDelayMs?: number
}

/** Sends requests with budgets, retries and error mapping. */
export interface Dispatcher {
  send(group: RateLimitGroup, request: ApiRequest, hooks?: SendHooks): Promise<Response>
}

interface SdkFailure {
  readonly response?: Response
  readonly request?: Request
}

const asFailure = (error: unknown): SdkFailure => {
  if (typeof error !== 'object' || error === null) return {}
  const { response, request } = error as { response?: unknown; request?: unknown }
  const isResponse = (r: unknown): r is Response =>
    typeof r === 'object' && r !== null && 'status' in r && 'headers' in r
  const isRequest = (r: unknown): r is Request =>
    typeof r === 'object' && r !== null && 'headers' in r && 'url' in r
  return {
    ...(isResponse(response) ? { response } : {}),
    ...(isRequest(request) ? { request } : {}),
  }
}

/** Retry-After in ms: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export const retryAfterMs = (value: string | null, nowMs = Date.now()): number | undefined => {
  if (value === null || value.trim() === '') return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs)
}

const cleanQuery = (query: Query | undefined): Record<string, unknown> | undefined => {
  if (!query) return undefined
  const entries = Object.entries(query).filter(([, value]) => value !== undefined)
  return entries.length > 0 ? Object.fromEntries(entries) : undefined
}

const discard = async (response: Response) => {
  try {
    await response.body?.cancel()
  } catch {
    // already consumed or closed
  }
}

/** Creates the {@link Dispatcher}. */
export const createDispatcher = ({
  platform,
  budgets,
  redact,
  logger,
  signal,
  maxRetries = 3,
  maxRateLimitRetries = 3,
  baseDelayMs = 250,
  maxDelayMs = 8_000,
}: DispatcherOptions): Dispatcher => {
  const send = async (
    group: RateLimitGroup,
    request: ApiRequest,
    hooks: SendHooks = {},
  ): Promise<Response> => {
    const idempotent = request.idempotent ?? request.method !== 'POST'
    const what = redact(describeRequest(request.method, request.url))
    let failures = 0
    let rateLimited = 0
    let reauthorized = false
    for (;;) {
      if (signal.aborted) throw new RingCentralUnavailableError('RingCentral client is closed')
      await hooks.prepare?.()
      await budgets.reserve(group)
      let failure: SdkFailure
      try {
        return await platform.send({
          method: request.method,
          url: request.url,
          query: cleanQuery(request.query),
          body: request.body,
          headers: { ...request.headers },
          skipAuthCheck: hooks.skipAuth ?? false,
          retry: true,
        })
      } catch (error) {
        failure = asFailure(error)
        if (!failure.response) {
          const reason = redact(error instanceof Error ? error.message : String(error))
          if (!idempotent || failures >= maxRetries) {
            throw new RingCentralUnavailableError(`RingCentral ${what} failed: ${reason}`)
          }
          logger.warn({ request: what, attempt: failures + 1, reason }, 'ringcentral network error')
          await sleep(backoffDelay(failures++, baseDelayMs, maxDelayMs), signal)
          continue
        }
      }
      const { response } = failure
      const { status } = response
      if (status === 401 && hooks.onUnauthorized && !reauthorized) {
        const error = await toApiError(response, request, redact)
        if (!isTokenError(error)) throw error
        reauthorized = true
        const sent = failure.request?.headers.get('authorization') ?? ''
        await discard(response)
        if (await hooks.onUnauthorized(sent.replace(/^\S+\s+/, ''))) continue
        throw error
      }
      const retryAfter = retryAfterMs(response.headers.get('retry-after'))
      if (status === 429) {
        // Paused even when this request gives up: every replica must stay out of the penalty.
        await budgets.pause(group, retryAfter ?? 60_000)
        if (rateLimited < maxRateLimitRetries) {
          rateLimited += 1
          await discard(response)
          continue // the next reserve() waits the pause out, as every other replica's does
        }
      }
      const retriable =
        status >= 500 && (idempotent || (status === 503 && retryAfter !== undefined))
      if (retriable && failures < maxRetries) {
        await discard(response)
        const delay = retryAfter ?? backoffDelay(failures, baseDelayMs, maxDelayMs)
        failures += 1
        logger.warn({ request: what, status, attempt: failures, delayMs: delay }, 'ringcentral 5xx')
        await sleep(delay, signal)
        continue
      }
      throw await toApiError(response, request, redact)
    }
  }
  return { send }
}
