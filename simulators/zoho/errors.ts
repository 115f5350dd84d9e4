/**
 * @module simulators/zoho/errors
 * Zoho's error envelope `{ code, details, message, status: 'error' }` (OAS `common.json`
 * `API_Exception`) and the one error type the routes throw. Messages are taken from the OAS
 * `API_Exception.message` enum wherever it has one.
 */
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

/** One error, for the whole request or for one item of `data[]` / `watch[]`. */
export interface ZohoErrorBody {
  readonly code: string
  readonly details: Readonly<Record<string, unknown>>
  readonly message: string
  readonly status: 'error'
}

export const zohoError = (
  code: string,
  message: string,
  details: Readonly<Record<string, unknown>> = {},
): ZohoErrorBody => ({ code, details, message, status: 'error' })

/** Thrown by routes; `app.onError` answers it with its status and envelope. */
export class ZohoHttpError extends Error {
  readonly status: ContentfulStatusCode
  readonly body: ZohoErrorBody

  constructor(status: ContentfulStatusCode, body: ZohoErrorBody) {
    super(`${status} ${body.code}: ${body.message}`)
    this.name = 'ZohoHttpError'
    this.status = status
    this.body = body
  }
}

/** The error responses the simulator gives, by name. */
export const errors = {
  invalidToken: () => new ZohoHttpError(401, zohoError('INVALID_TOKEN', 'invalid oauth token')),
  authenticationFailure: () =>
    new ZohoHttpError(401, zohoError('AUTHENTICATION_FAILURE', 'Authentication failed')),
  invalidModule: (index = 0) =>
    new ZohoHttpError(
      400,
      zohoError('INVALID_MODULE', 'The module name given seems to be invalid', {
        resource_path_index: index,
      }),
    ),
  invalidUrl: () =>
    new ZohoHttpError(
      404,
      zohoError('INVALID_URL_PATTERN', 'Please check if the URL trying to access is a correct one'),
    ),
  invalidId: (index = 1) =>
    new ZohoHttpError(
      400,
      zohoError('INVALID_DATA', 'the id given seems to be invalid.', {
        resource_path_index: index,
      }),
    ),
  invalidBody: () => new ZohoHttpError(400, zohoError('INVALID_DATA', 'body', {})),
  missingParam: (name: string) =>
    new ZohoHttpError(
      400,
      zohoError('REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', {
        param_name: name,
        param: name,
      }),
    ),
  tooManyRequests: (message: string) =>
    new ZohoHttpError(429, zohoError('TOO_MANY_REQUESTS', message)),
  internal: () =>
    new ZohoHttpError(500, zohoError('INTERNAL_ERROR', 'Internal server error occurred.')),
} as const

/** Answers a {@link ZohoHttpError} (and nothing else) with its envelope. */
export const errorResponse = (c: Context, error: ZohoHttpError): Response =>
  c.json(error.body, error.status)
