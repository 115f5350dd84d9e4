import { describe, expect, it } from 'vitest'
import { retryAfterMs } from './dispatcher.ts'
import {
  createRedactor,
  describeRequest,
  isTokenError,
  RingCentralApiError,
  SyncTokenExpiredError,
  toApiError,
} from './errors.ts'

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

const noRedaction = (text: string) => text

describe('toApiError', () => {
  it('takes the code, message and parameter from errors[0] over the legacy top-level copy', async () => {
    const error = await toApiError(
      json(404, {
        errorCode: 'InsufficientPermissions',
        message: 'top level',
        errors: [
          {
            errorCode: 'CMN-102',
            message: 'Resource for parameter [messageId] is not found',
            parameterName: 'messageId',
          },
        ],
      }),
      { method: 'get', url: 'http://x/restapi/v1.0/account/~/recording/1' },
      noRedaction,
    )
    expect(error).toBeInstanceOf(RingCentralApiError)
    expect(error).toMatchObject({
      status: 404,
      errorCode: 'CMN-102',
      parameterName: 'messageId',
      request: 'GET /restapi/v1.0/account/~/recording/1',
    })
    expect(error.message).toContain('Resource for parameter [messageId] is not found')
  })

  it('reads OAuth errors and bodies that are not JSON', async () => {
    const oauth = await toApiError(
      json(400, { error: 'invalid_grant', error_description: 'Invalid resource owner' }),
      { method: 'POST', url: '/restapi/oauth/token' },
      noRedaction,
    )
    expect(oauth).toMatchObject({ status: 400, errorCode: 'invalid_grant' })
    const html = await toApiError(
      new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
      { method: 'GET', url: '/x' },
      noRedaction,
    )
    expect(html).toMatchObject({ status: 502, errorCode: undefined })
    expect(html.message).toContain('502 Bad Gateway')
  })

  it('recognises an expired call-log sync token by its CLG code', async () => {
    const error = await toApiError(
      json(400, {
        errorCode: 'CLG-101',
        message: 'Parameter [syncToken] is invalid [Sync token expired, call log was reset]',
        errors: [{ errorCode: 'CLG-101', message: 'expired', parameterName: 'syncToken' }],
      }),
      { method: 'GET', url: '/restapi/v1.0/account/~/call-log-sync' },
      noRedaction,
    )
    expect(error).toBeInstanceOf(SyncTokenExpiredError)
  })

  it('never lets a known secret or a bearer credential into the message', async () => {
    const redact = createRedactor(['super-secret-jwt'], () => ['access-token-123'])
    const error = await toApiError(
      json(401, {
        message: 'token access-token-123 for super-secret-jwt, header Bearer abc.def',
      }),
      { method: 'GET', url: '/media/1?access_token=access-token-123' },
      redact,
    )
    expect(error.message).not.toContain('access-token-123')
    expect(error.message).not.toContain('super-secret-jwt')
    expect(error.message).not.toContain('abc.def')
    expect(error.request).toBe('GET /media/1?access_token=[redacted]')
  })
})

describe('isTokenError', () => {
  it('counts 401s about the token, not other 401s or other statuses', async () => {
    const map = (status: number, errorCode?: string) =>
      toApiError(
        json(status, errorCode ? { errorCode } : {}),
        { method: 'GET', url: '/' },
        noRedaction,
      )
    expect(isTokenError(await map(401, 'OAU-213'))).toBe(true)
    expect(isTokenError(await map(401, 'TokenInvalid'))).toBe(true)
    expect(isTokenError(await map(401))).toBe(true)
    expect(isTokenError(await map(401, 'CMN-405'))).toBe(false)
    expect(isTokenError(await map(403, 'OAU-213'))).toBe(false)
  })
})

describe('describeRequest', () => {
  it('drops the origin of absolute URLs', () => {
    expect(describeRequest('get', 'https://media.example/restapi/v1.0/x?y=1')).toBe(
      'GET /restapi/v1.0/x?y=1',
    )
  })
})

describe('retryAfterMs', () => {
  it('reads delta-seconds and HTTP dates, and nothing else', () => {
    expect(retryAfterMs('60')).toBe(60_000)
    expect(retryAfterMs('1.5')).toBe(1_500)
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:30 GMT', Date.UTC(2026, 0, 1))).toBe(30_000)
    expect(retryAfterMs(null)).toBeUndefined()
    expect(retryAfterMs('soon')).toBeUndefined()
  })
})
