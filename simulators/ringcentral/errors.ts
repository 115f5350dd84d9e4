/**
 * @module simulators/ringcentral/errors
 * RingCentral's error bodies. API errors: `{errorCode, message, errors: [{errorCode, message,
 * parameterName?}], parameterName?}` (the legacy top-level copy of the first error plus `errors[]`).
 * OAuth errors: `{error, error_description, errors: [...]}`. Handlers throw
 * {@link RingCentralApiError}; `onRingCentralError` turns it into the response.
 */
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

/** One entry of `errors[]`. */
export interface ApiErrorEntry {
  readonly errorCode: string
  readonly message: string
  readonly parameterName?: string
  readonly parameterValue?: string
}

/** An error answered in RingCentral's JSON shape. */
export class RingCentralApiError extends Error {
  readonly status: ContentfulStatusCode
  readonly body: Readonly<Record<string, unknown>>
  readonly headers: Readonly<Record<string, string>>

  constructor(
    status: ContentfulStatusCode,
    body: Readonly<Record<string, unknown>>,
    headers: Readonly<Record<string, string>> = {},
  ) {
    super(typeof body['message'] === 'string' ? body['message'] : `RingCentral error ${status}`)
    this.name = 'RingCentralApiError'
    this.status = status
    this.body = body
    this.headers = headers
  }
}

/** The standard body: the first error repeated at top level, then `errors[]`. */
export const errorBody = (
  errorCode: string,
  message: string,
  extra: { parameterName?: string; topLevelCode?: string } = {},
): Record<string, unknown> => {
  const entry: ApiErrorEntry =
    extra.parameterName === undefined
      ? { errorCode, message }
      : { errorCode, message, parameterName: extra.parameterName }
  return {
    errorCode: extra.topLevelCode ?? errorCode,
    message,
    errors: [entry],
    ...(extra.parameterName === undefined ? {} : { parameterName: extra.parameterName }),
  }
}

/** An API error with the standard body. */
export const apiError = (
  status: ContentfulStatusCode,
  errorCode: string,
  message: string,
  extra: { parameterName?: string; topLevelCode?: string; headers?: Record<string, string> } = {},
): RingCentralApiError =>
  new RingCentralApiError(status, errorBody(errorCode, message, extra), extra.headers)

/** 400 CMN-101 `Parameter [name] value is invalid.` */
export const invalidParameter = (parameterName: string): RingCentralApiError =>
  apiError(400, 'CMN-101', `Parameter [${parameterName}] value is invalid.`, { parameterName })

/** 404 CMN-102 `Resource for parameter [name] is not found` */
export const notFound = (parameterName: string): RingCentralApiError =>
  apiError(404, 'CMN-102', `Resource for parameter [${parameterName}] is not found`, {
    parameterName,
  })

/** 401 for a token that is unknown, revoked, invalidated or expired. */
export const tokenNotFound = (): RingCentralApiError =>
  apiError(401, 'OAU-213', 'Token not found', { topLevelCode: 'TokenInvalid' })

/** An OAuth token-endpoint error (`error`/`error_description` beside `errors[]`). */
export const oauthError = (
  status: ContentfulStatusCode,
  error: string,
  errorCode: string,
  description: string,
): RingCentralApiError =>
  new RingCentralApiError(status, {
    error,
    errors: [{ errorCode, message: description }],
    error_description: description,
  })

/** `app.onError`: RingCentral errors as JSON; anything else is a 500 CMN-203. */
export const onRingCentralError = (error: Error, c: Context): Response => {
  if (error instanceof RingCentralApiError) {
    for (const [name, value] of Object.entries(error.headers)) c.header(name, value)
    return c.json(error.body, error.status)
  }
  return c.json(errorBody('CMN-203', 'Internal Server Error'), 500)
}

/** `app.notFound`: an unknown path. */
export const onUnknownPath = (c: Context): Response =>
  c.json(errorBody('CMN-120', 'Invalid URI'), 404)
