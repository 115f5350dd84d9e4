/**
 * @module integrations/ringcentral/errors
 * The typed errors of the RingCentral client and the ONE place that turns an HTTP error response
 * into them ({@link toApiError}). RingCentral error bodies carry the code twice: at top level
 * (legacy) and in `errors[0]`; OAuth errors use `error`/`error_description` instead. Messages are
 * passed through a redactor so a token, the client secret or the JWT can never end up in an
 * error message, a log line or a dead-letter reason.
 */
import { ApiErrorBody } from './schemas.ts'

/** A non-2xx answer from RingCentral, after the client's own retries gave up or did not apply. */
export class RingCentralApiError extends Error {
  override readonly name: string = 'RingCentralApiError'
  /** HTTP status, e.g. 400, 401, 404, 429. */
  readonly status: number
  /** `errors[0].errorCode`, else the top-level `errorCode`, else OAuth's `error` (e.g. `CMN-102`). */
  readonly errorCode: string | undefined
  /** The parameter the error is about, when RingCentral names one (`syncToken`, `messageId`). */
  readonly parameterName: string | undefined
  /** `METHOD /path` of the failed request (no origin, no credentials). */
  readonly request: string

  constructor(init: {
    status: number
    errorCode?: string | undefined
    message: string
    parameterName?: string | undefined
    request: string
  }) {
    super(
      `RingCentral ${init.request} failed with ${init.status}${init.errorCode ? ` ${init.errorCode}` : ''}: ${init.message}`,
    )
    this.status = init.status
    this.errorCode = init.errorCode
    this.parameterName = init.parameterName
    this.request = init.request
  }
}

/**
 * The call-log sync token can no longer be used (`CLG-101`…`CLG-105`, "Sync token expired, call log
 * was reset", or more than 250 changes since the last sync). Start over with an `FSync`.
 */
export class SyncTokenExpiredError extends RingCentralApiError {
  override readonly name: string = 'SyncTokenExpiredError'
}

/** A 2xx answer whose body is not what the client relies on (see schemas.ts). */
export class RingCentralResponseError extends Error {
  override readonly name: string = 'RingCentralResponseError'
}

/** The client gave up waiting: for a rate-limit slot, a shared token, or because it was closed. */
export class RingCentralUnavailableError extends Error {
  override readonly name: string = 'RingCentralUnavailableError'
}

/** Replaces every secret it knows of in a text. */
export type Redact = (text: string) => string

const syncTokenCodes = /^CLG-10[1-5]$/

/** `METHOD /path?query` of a URL, relative, with any `access_token` query value hidden. */
export const describeRequest = (method: string, url: string): string => {
  let path = url
  try {
    const parsed = new URL(url, 'http://relative.invalid')
    path = `${parsed.pathname}${parsed.search}`
  } catch {
    // not a URL: keep it as given
  }
  return `${method.toUpperCase()} ${path.replace(/(access_token=)[^&]*/gi, '$1[redacted]')}`
}

const readBody = async (response: Response): Promise<unknown> => {
  try {
    const text = await response.clone().text()
    return text ? JSON.parse(text) : undefined
  } catch {
    return undefined
  }
}

/**
 * Maps an error response to a {@link RingCentralApiError} (or {@link SyncTokenExpiredError}).
 * Reads a clone of the body, so the response stays readable.
 */
export const toApiError = async (
  response: Response,
  request: { method: string; url: string },
  redact: Redact,
): Promise<RingCentralApiError> => {
  const parsed = ApiErrorBody.safeParse(await readBody(response))
  const body = parsed.success ? parsed.data : {}
  const first = body.errors?.[0]
  const errorCode = first?.errorCode ?? body.errorCode ?? body.error
  const parameterName = first?.parameterName ?? body.parameterName
  const rawMessage =
    first?.message ??
    body.message ??
    body.error_description ??
    `${response.status} ${response.statusText}`.trim()
  const init = {
    status: response.status,
    errorCode,
    message: redact(rawMessage),
    parameterName,
    request: redact(describeRequest(request.method, request.url)),
  }
  const expiredSyncToken =
    response.status === 400 &&
    ((errorCode !== undefined && syncTokenCodes.test(errorCode)) ||
      (parameterName === 'syncToken' && /expired|reset|invalid|exceeded/i.test(rawMessage)))
  return expiredSyncToken ? new SyncTokenExpiredError(init) : new RingCentralApiError(init)
}

const tokenErrorCodes = /^(OAU-\d+|TokenInvalid|TokenExpired|AGW-401|InvalidToken)$/

/**
 * Whether a 401 is about the access token (expired, revoked, unknown, missing), i.e. whether a new
 * token can fix it. A 401 without a code counts too; other codes (e.g. `CMN-405`) do not.
 */
export const isTokenError = (error: RingCentralApiError): boolean =>
  error.status === 401 && (error.errorCode === undefined || tokenErrorCodes.test(error.errorCode))

/**
 * Builds a redactor for fixed secrets (client secret, JWT) plus the ones `dynamic` currently knows
 * (the access and refresh tokens in use). Bearer/Basic credentials are hidden by shape as well.
 */
export const createRedactor =
  (fixed: readonly string[], dynamic: () => readonly string[] = () => []): Redact =>
  (text) => {
    let out = text.replace(/\b(Bearer|Basic)\s+[\w\-.~+/=]+/gi, '$1 [redacted]')
    for (const secret of [...fixed, ...dynamic()]) {
      if (secret.length >= 6) out = out.split(secret).join('[redacted]')
    }
    return out
  }
