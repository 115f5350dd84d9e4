/**
 * @module integrations/zoho/transport
 * Every Zoho API call goes through `request`: it takes the shared token, holds one slot of the
 * org-wide concurrency semaphore (`zoho:concurrency` in the kv, across replicas) for exactly the
 * time of the HTTP exchange, retries by the rules in retry-policy.ts with full-jitter backoff,
 * refreshes the token once on INVALID_TOKEN / AUTHENTICATION_FAILURE, and turns every failure
 * into a {@link ZohoApiError}. The slot is released before any backoff sleep.
 */

import type { Kv } from '../../platform/kv/port.ts'
import type { Logger } from '../../platform/log/logger.ts'
import { ZohoApiError, type ZohoApiErrorInit } from './errors.ts'
import {
  type AttemptFailure,
  backoffDelayMs,
  fetchFailure,
  mayRetry,
  outcomeUnknown,
  type RetrySettings,
} from './retry-policy.ts'
import { ErrorEnvelope, ItemLists } from './schemas.ts'
import type { AccessToken, TokenStore } from './token-store.ts'

/** HTTP methods the client uses. */
export type ZohoMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** A raw (non-JSON) request body, e.g. a streamed multipart upload. */
export interface ZohoRawBody {
  readonly contentType: string
  /** Exact byte length when known (sent as Content-Length); otherwise chunked. */
  readonly contentLength?: number | undefined
  /** Makes the body. Called once per attempt, so only once when `replayable` is false. */
  readonly open: () => ReadableStream<Uint8Array>
  /** Whether `open` can be called again for a retry. */
  readonly replayable: boolean
}

/** One API call. */
export interface ZohoRequest {
  readonly method: ZohoMethod
  /** Path under the API domain, e.g. `/crm/v8/Leads/search`. */
  readonly path: string
  readonly query?: Readonly<Record<string, string | undefined>>
  /** A JSON body (replayable). */
  readonly json?: unknown
  readonly body?: ZohoRawBody
  /** Safe to send twice. Default: every method but POST. */
  readonly idempotent?: boolean
  /** Overrides the client's request timeout (uploads take longer). */
  readonly timeoutMs?: number
  /** Name for logs, e.g. `searchByPhone`. */
  readonly operation: string
}

/** A successful answer: 2xx with its JSON body (null for 204 or an empty body). */
export interface ZohoResponse {
  readonly status: number
  readonly body: unknown
}

/** Concurrency settings with defaults applied. */
export interface ConcurrencySettings {
  readonly limit: number
  readonly leaseMs: number
  readonly waitMs: number
}

/** Options for {@link createTransport}. */
export interface TransportOptions {
  readonly kv: Kv
  readonly tokens: TokenStore
  readonly fetch: typeof fetch
  readonly concurrency: ConcurrencySettings
  readonly retry: RetrySettings
  readonly timeoutMs: number
  readonly logger?: Pick<Logger, 'debug' | 'warn'> | undefined
  /** Randomness for backoff jitter (tests). */
  readonly random?: () => number
}

/** Sends Zoho API calls. */
export interface ZohoTransport {
  request(request: ZohoRequest): Promise<ZohoResponse>
}

/** The kv semaphore name shared by every replica (Zoho's limit is per org and app). */
export const concurrencySemaphore = 'zoho:concurrency'

const tokenRejectedCodes = new Set(['INVALID_TOKEN', 'AUTHENTICATION_FAILURE'])

type Attempt =
  | { readonly kind: 'response'; readonly status: number; readonly text: string }
  | { readonly kind: 'failure'; readonly failure: AttemptFailure; readonly error: unknown }

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** A {@link ZohoApiError} somewhere in a fetch error's cause chain (raised by a body stream). */
const ownError = (error: unknown): ZohoApiError | undefined => {
  let current = error
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    if (current instanceof ZohoApiError) return current
    current = current.cause
  }
  return undefined
}

const parseJson = (text: string): unknown => {
  if (text.trim() === '') return null
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** Reads the error of a non-2xx answer: the top-level envelope, or the first per-item error. */
export const errorFromResponse = (status: number, body: unknown): ZohoApiErrorInit => {
  const lists = ItemLists.safeParse(body)
  const candidates = [body, ...(lists.data?.data ?? []), ...(lists.data?.watch ?? [])]
  for (const candidate of candidates) {
    const envelope = ErrorEnvelope.safeParse(candidate)
    if (envelope.success) {
      return {
        code: envelope.data.code,
        status,
        message: envelope.data.message ?? envelope.data.code,
        details: envelope.data.details ?? {},
      }
    }
  }
  return { code: `HTTP_${status}`, status, message: 'Zoho answered with an error' }
}

/** Creates the transport. */
export const createTransport = (options: TransportOptions): ZohoTransport => {
  const { kv, tokens, concurrency, retry, logger } = options
  const random = options.random ?? Math.random

  const coordinationFailed = (what: string, error: unknown) =>
    new ZohoApiError({
      code: 'COORDINATION_FAILED',
      status: 0,
      message: `${what} failed: ${error instanceof Error ? error.message : String(error)}`,
      cause: error,
    })

  const token = async (rejected?: string): Promise<AccessToken> => {
    try {
      return await tokens.get(rejected === undefined ? {} : { rejected })
    } catch (error) {
      if (error instanceof ZohoApiError) throw error
      throw coordinationFailed('shared token store', error)
    }
  }

  const url = (apiDomain: string, request: ZohoRequest): string => {
    const query = new URLSearchParams()
    for (const [name, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) query.set(name, value)
    }
    const search = query.size > 0 ? `?${query}` : ''
    return `${apiDomain}${request.path}${search}`
  }

  const init = (request: ZohoRequest, access: AccessToken, timeoutMs: number): RequestInit => {
    const headers: Record<string, string> = {
      authorization: `Zoho-oauthtoken ${access.accessToken}`,
      accept: 'application/json',
    }
    const base: RequestInit = {
      method: request.method,
      headers,
      signal: AbortSignal.timeout(timeoutMs),
    }
    if (request.json !== undefined) {
      headers['content-type'] = 'application/json'
      return { ...base, body: JSON.stringify(request.json) }
    }
    if (request.body) {
      headers['content-type'] = request.body.contentType
      if (request.body.contentLength !== undefined) {
        headers['content-length'] = String(request.body.contentLength)
      }
      // redirect 'error': with 'follow', fetch keeps a tee of a streamed body for replaying it
      // on a redirect, and the unread branch holds every chunk until the upload ends.
      return { ...base, body: request.body.open(), duplex: 'half', redirect: 'error' }
    }
    return base
  }

  /** One HTTP exchange inside one concurrency slot. */
  const attempt = async (request: ZohoRequest, access: AccessToken): Promise<Attempt> => {
    const timeoutMs = request.timeoutMs ?? options.timeoutMs
    let lease: Awaited<ReturnType<Kv['acquire']>>
    try {
      lease = await kv.acquire(concurrencySemaphore, {
        limit: concurrency.limit,
        // A lease outlives the longest exchange, so it is reclaimed only from a dead holder.
        leaseMs: Math.max(concurrency.leaseMs, timeoutMs + 5000),
        waitMs: concurrency.waitMs,
      })
    } catch (error) {
      throw coordinationFailed('concurrency semaphore', error)
    }
    if (!lease) {
      throw new ZohoApiError({
        code: 'CONCURRENCY_WAIT_EXCEEDED',
        status: 0,
        message: `no Zoho concurrency slot free within ${concurrency.waitMs} ms`,
      })
    }
    try {
      const response = await options.fetch(
        url(access.apiDomain, request),
        init(request, access, timeoutMs),
      )
      // Read the body inside the slot: Zoho counts the request until its answer is sent.
      return { kind: 'response', status: response.status, text: await response.text() }
    } catch (error) {
      // Our own body stream stopped the upload (too large, size mismatch): report that as is.
      const own = ownError(error)
      if (own) throw own
      return { kind: 'failure', failure: fetchFailure(error), error }
    } finally {
      await lease.release().catch((error: unknown) => {
        logger?.warn({ err: error }, 'zoho concurrency lease release failed; it will expire')
      })
    }
  }

  return {
    request: async (request) => {
      const idempotent = request.idempotent ?? request.method !== 'POST'
      const replayable = request.body?.replayable ?? true
      const policy = { idempotent, replayable }
      let retries = 0
      let rejected: string | undefined
      let refreshed = false
      for (;;) {
        const access = await token(rejected)
        rejected = undefined
        const result = await attempt(request, access)
        let error: ZohoApiErrorInit
        let failure: AttemptFailure | undefined
        if (result.kind === 'response') {
          const body = parseJson(result.text)
          if (result.status >= 200 && result.status < 300) {
            if (body === undefined) {
              throw new ZohoApiError({
                code: 'UNEXPECTED_RESPONSE',
                status: result.status,
                message: `${request.operation}: Zoho answered ${result.status} with a body that is not JSON`,
                outcomeUnknown: !idempotent,
              })
            }
            return { status: result.status, body }
          }
          error = errorFromResponse(result.status, body)
          if (result.status === 401 && tokenRejectedCodes.has(error.code) && !refreshed) {
            refreshed = true
            rejected = access.accessToken
            if (replayable) continue
            await token(rejected)
            throw new ZohoApiError({
              code: 'TOKEN_REJECTED',
              status: 401,
              message: `${request.operation}: access token rejected and refreshed; send the request again`,
              cause: new ZohoApiError(error),
            })
          }
          if (result.status === 429) failure = 'rate-limited'
          else if (result.status >= 500) failure = 'server-error'
        } else {
          failure = result.failure
          error = {
            code: failure === 'timeout' ? 'TIMEOUT' : 'NETWORK_ERROR',
            status: 0,
            message: `${request.operation}: ${failure}`,
            cause: result.error,
          }
        }
        if (failure === undefined) throw new ZohoApiError(error)
        if (mayRetry(failure, policy) && retries + 1 < retry.attempts) {
          const delayMs = backoffDelayMs(retries, retry, random)
          retries += 1
          logger?.debug(
            {
              operation: request.operation,
              failure,
              status: error.status,
              retry: retries,
              delayMs,
            },
            'zoho request will be retried',
          )
          await sleep(delayMs)
          continue
        }
        throw new ZohoApiError({ ...error, outcomeUnknown: outcomeUnknown(failure, policy) })
      }
    },
  }
}
