/**
 * @module integrations/crm/errors
 * CRM-neutral errors. Adapters translate their provider's failures into these in one place, so a
 * consumer decides with one question, `error.retryable`: true means "the same call may succeed
 * later" (back off and retry, or redeliver), false means "fix the input or the configuration"
 * (dead-letter). Messages never carry secrets; the provider's error stays in `cause`.
 */

/** Base of every CRM error. */
export class CrmError extends Error {
  /** True when repeating the same call later may succeed. */
  readonly retryable: boolean
  /** Provider error code (e.g. Zoho `INVALID_DATA`), for logs and metrics. */
  readonly code: string | undefined

  constructor(
    message: string,
    options: { retryable: boolean; code?: string | undefined; cause?: unknown },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'CrmError'
    this.retryable = options.retryable
    this.code = options.code
  }
}

/** The CRM (or our own budget for it) refused for now: too many requests. Retry after a pause. */
export class CrmRateLimitedError extends CrmError {
  /** How long to wait before trying again, when known. */
  readonly retryAfterMs: number | undefined

  constructor(
    message: string,
    options: { code?: string | undefined; retryAfterMs?: number | undefined; cause?: unknown } = {},
  ) {
    super(message, { ...options, retryable: true })
    this.name = 'CrmRateLimitedError'
    this.retryAfterMs = options.retryAfterMs
  }
}

/**
 * The CRM did not answer usefully: network failure, timeout, 5xx. Retryable, but when
 * `outcomeUnknown` is true the request (a create) may already have been applied: check before
 * creating again, or accept a possible duplicate.
 */
export class CrmUnavailableError extends CrmError {
  readonly outcomeUnknown: boolean

  constructor(
    message: string,
    options: { code?: string | undefined; outcomeUnknown?: boolean; cause?: unknown } = {},
  ) {
    super(message, { ...options, retryable: true })
    this.name = 'CrmUnavailableError'
    this.outcomeUnknown = options.outcomeUnknown ?? false
  }
}

/** Credentials, scopes or permissions are wrong. Permanent until someone fixes the configuration. */
export class CrmAuthError extends CrmError {
  constructor(message: string, options: { code?: string | undefined; cause?: unknown } = {}) {
    super(message, { ...options, retryable: false })
    this.name = 'CrmAuthError'
  }
}

/** The CRM rejected the data (a bad phone, a missing mandatory field, an unknown id). Permanent. */
export class CrmValidationError extends CrmError {
  /** The offending field, in the CRM's own naming, when the CRM said which. */
  readonly field: string | undefined

  constructor(
    message: string,
    options: { field?: string | undefined; code?: string | undefined; cause?: unknown } = {},
  ) {
    super(message, { ...options, retryable: false })
    this.name = 'CrmValidationError'
    this.field = options.field
  }
}

/** A file is larger than the CRM accepts. Permanent for this file. */
export class CrmTooLargeError extends CrmError {
  /** The limit in bytes, when known. */
  readonly limitBytes: number | undefined

  constructor(
    message: string,
    options: { code?: string | undefined; limitBytes?: number | undefined; cause?: unknown } = {},
  ) {
    super(message, { ...options, retryable: false })
    this.name = 'CrmTooLargeError'
    this.limitBytes = options.limitBytes
  }
}

/** True when `error` is a CRM error that may succeed on a later attempt. */
export const isRetryableCrmError = (error: unknown): boolean =>
  error instanceof CrmError && error.retryable
