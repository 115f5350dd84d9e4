/**
 * @module integrations/zoho/errors
 * One error type for everything that goes wrong talking to Zoho, and the one place that maps it
 * to the CRM-neutral errors. `code` is Zoho's own (`INVALID_DATA`, `TOO_MANY_REQUESTS`,
 * `invalid_code` from Accounts) or one of ours in {@link ZohoClientCode}. Messages are Zoho's
 * message text or ours: never a token, a secret or a URL with credentials.
 */
import {
  CrmAuthError,
  type CrmError,
  CrmRateLimitedError,
  CrmTooLargeError,
  CrmUnavailableError,
  CrmValidationError,
} from '../crm/errors.ts'

/** Codes the client raises itself (no Zoho envelope behind them). */
export type ZohoClientCode =
  /** No connection, reset, DNS failure. */
  | 'NETWORK_ERROR'
  /** No answer within the request timeout. */
  | 'TIMEOUT'
  /** Zoho answered with a body the client cannot read. */
  | 'UNEXPECTED_RESPONSE'
  /** Our own token budget (requests per 10 minutes) is used up. */
  | 'TOKEN_BUDGET_EXHAUSTED'
  /** Zoho Accounts throttled token requests ("Access Denied"). */
  | 'TOKEN_THROTTLED'
  /** Another replica holds the refresh lock and no token appeared in time. */
  | 'TOKEN_WAIT_TIMEOUT'
  /** No org-wide concurrency slot became free in time. */
  | 'CONCURRENCY_WAIT_EXCEEDED'
  /** A file is larger than the configured maximum (checked before sending). */
  | 'FILE_TOO_LARGE'
  /** Input rejected before anything was sent. */
  | 'INVALID_INPUT'
  /**
   * Zoho rejected the access token on a request whose body cannot be replayed (a streamed
   * upload). The token has been refreshed; the caller should send the request again.
   */
  | 'TOKEN_REJECTED'
  /** The shared kv (token store, concurrency semaphore) could not be reached. */
  | 'COORDINATION_FAILED'

/** Fields of {@link ZohoApiError}. */
export interface ZohoApiErrorInit {
  readonly code: string
  /** HTTP status of Zoho's answer; 0 when there was none. */
  readonly status: number
  readonly message: string
  readonly details?: Readonly<Record<string, unknown>>
  /** The request may have been applied although no success was seen (non-idempotent requests). */
  readonly outcomeUnknown?: boolean
  readonly retryAfterMs?: number
  readonly cause?: unknown
}

/**
 * A failed Zoho call: Zoho's `{code, details, message, status}` envelope, or a client-side
 * failure with a {@link ZohoClientCode}.
 */
export class ZohoApiError extends Error {
  readonly code: string
  /** HTTP status (0 = no response). Zoho's envelope `status` is always "error" and is not kept. */
  readonly status: number
  readonly details: Readonly<Record<string, unknown>>
  readonly outcomeUnknown: boolean
  readonly retryAfterMs: number | undefined

  constructor(init: ZohoApiErrorInit) {
    super(
      `zoho ${init.code}${init.status ? ` (HTTP ${init.status})` : ''}: ${init.message}`,
      init.cause === undefined ? undefined : { cause: init.cause },
    )
    this.name = 'ZohoApiError'
    this.code = init.code
    this.status = init.status
    this.details = init.details ?? {}
    this.outcomeUnknown = init.outcomeUnknown ?? false
    this.retryAfterMs = init.retryAfterMs
  }
}

const rateLimited = new Set([
  'TOO_MANY_REQUESTS',
  'TOKEN_BUDGET_EXHAUSTED',
  'TOKEN_THROTTLED',
  'CONCURRENCY_WAIT_EXCEEDED',
])
const auth = new Set([
  'INVALID_TOKEN',
  'AUTHENTICATION_FAILURE',
  'OAUTH_SCOPE_MISMATCH',
  'NO_PERMISSION',
  'invalid_code',
  'invalid_client',
  'invalid_client_secret',
  'unauthorized_client',
])
const tooLarge = new Set(['FILE_SIZE_MORE_THAN_ALLOWED_SIZE', 'FILE_TOO_LARGE'])
const unavailable = new Set([
  'NETWORK_ERROR',
  'TIMEOUT',
  'UNEXPECTED_RESPONSE',
  'TOKEN_WAIT_TIMEOUT',
  'TOKEN_REJECTED',
  'COORDINATION_FAILED',
  'INTERNAL_ERROR',
])

/** The field Zoho named in `details`, if any (`api_name`, `param_name` or `json_path`). */
const fieldOf = (details: Readonly<Record<string, unknown>>): string | undefined => {
  for (const key of ['api_name', 'param_name', 'json_path', 'param']) {
    const value = details[key]
    if (typeof value === 'string' && value) return value
  }
  return undefined
}

/**
 * Maps any error from the Zoho client to the CRM-neutral error a consumer branches on. The one
 * mapping: 429 and budget/throttle → rate limited; 401/403 and Accounts errors → auth; file
 * size → too large; network, timeout and 5xx → unavailable; every other 4xx → validation.
 * Anything that is not a {@link ZohoApiError} (a bug) becomes unavailable with `outcomeUnknown`.
 */
export const toCrmError = (error: unknown): CrmError => {
  if (!(error instanceof ZohoApiError)) {
    const message = error instanceof Error ? error.message : String(error)
    return new CrmUnavailableError(`zoho client failed: ${message}`, {
      outcomeUnknown: true,
      cause: error,
    })
  }
  const { code, status, message, details } = error
  const kind = classify(code, status)
  switch (kind) {
    case 'rate-limited':
      return new CrmRateLimitedError(message, {
        code,
        retryAfterMs: error.retryAfterMs,
        cause: error,
      })
    case 'too-large': {
      const limit = details['limit_bytes'] ?? details['limit'] ?? details['max_size']
      return new CrmTooLargeError(message, {
        code,
        limitBytes: typeof limit === 'number' ? limit : undefined,
        cause: error,
      })
    }
    case 'unavailable':
      return new CrmUnavailableError(message, {
        code,
        outcomeUnknown: error.outcomeUnknown,
        cause: error,
      })
    case 'auth':
      return new CrmAuthError(message, { code, cause: error })
    case 'validation':
      return new CrmValidationError(message, { code, field: fieldOf(details), cause: error })
    default: {
      const exhaustive: never = kind
      return exhaustive
    }
  }
}

type ErrorKind = 'rate-limited' | 'too-large' | 'unavailable' | 'auth' | 'validation'

/** Known codes first (they are more precise than the status), then the HTTP status. */
const classify = (code: string, status: number): ErrorKind => {
  if (rateLimited.has(code)) return 'rate-limited'
  if (tooLarge.has(code)) return 'too-large'
  if (unavailable.has(code)) return 'unavailable'
  if (auth.has(code)) return 'auth'
  if (code === 'INVALID_INPUT') return 'validation'
  if (status === 429) return 'rate-limited'
  if (status === 413) return 'too-large'
  if (status === 401 || status === 403) return 'auth'
  if (status === 0 || status >= 500) return 'unavailable'
  return 'validation'
}

/** Wraps an async operation so that whatever it throws reaches the caller as a CRM error. */
export const asCrmErrors = async <T>(operation: () => Promise<T>): Promise<T> => {
  try {
    return await operation()
  } catch (error) {
    throw toCrmError(error)
  }
}
