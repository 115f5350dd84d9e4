import { describe, expect, it } from 'vitest'
import {
  CrmAuthError,
  CrmRateLimitedError,
  CrmTooLargeError,
  CrmUnavailableError,
  CrmValidationError,
  isRetryableCrmError,
} from '../crm/errors.ts'
import { toCrmError, ZohoApiError } from './errors.ts'
import { errorFromResponse } from './transport.ts'

const zoho = (
  code: string,
  status: number,
  extra: Partial<ConstructorParameters<typeof ZohoApiError>[0]> = {},
) => new ZohoApiError({ code, status, message: `${code} happened`, ...extra })

describe('mapping Zoho errors to CRM errors', () => {
  it('maps throttling and our own budgets to a retryable rate-limit error', () => {
    for (const error of [
      zoho('TOO_MANY_REQUESTS', 429),
      zoho('TOKEN_BUDGET_EXHAUSTED', 0, { retryAfterMs: 1234 }),
      zoho('TOKEN_THROTTLED', 400),
      zoho('CONCURRENCY_WAIT_EXCEEDED', 0),
    ]) {
      const crm = toCrmError(error)
      expect(crm).toBeInstanceOf(CrmRateLimitedError)
      expect(crm.retryable).toBe(true)
    }
    expect(toCrmError(zoho('TOKEN_BUDGET_EXHAUSTED', 0, { retryAfterMs: 1234 }))).toMatchObject({
      retryAfterMs: 1234,
    })
  })

  it('maps credentials, scopes and permissions to a permanent auth error', () => {
    for (const error of [
      zoho('INVALID_TOKEN', 401),
      zoho('OAUTH_SCOPE_MISMATCH', 401),
      zoho('NO_PERMISSION', 403),
      zoho('invalid_code', 400),
      zoho('invalid_client', 400),
    ]) {
      const crm = toCrmError(error)
      expect(crm).toBeInstanceOf(CrmAuthError)
      expect(isRetryableCrmError(crm)).toBe(false)
    }
  })

  it('maps size errors to too-large with the limit when known', () => {
    expect(toCrmError(zoho('FILE_SIZE_MORE_THAN_ALLOWED_SIZE', 400))).toBeInstanceOf(
      CrmTooLargeError,
    )
    expect(toCrmError(zoho('FILE_TOO_LARGE', 0, { details: { limit_bytes: 1000 } }))).toMatchObject(
      { limitBytes: 1000, retryable: false },
    )
  })

  it('maps network, timeout and 5xx to unavailable, keeping whether a create may have happened', () => {
    expect(toCrmError(zoho('INTERNAL_ERROR', 500, { outcomeUnknown: true }))).toMatchObject({
      retryable: true,
      outcomeUnknown: true,
    })
    expect(toCrmError(zoho('NETWORK_ERROR', 0))).toBeInstanceOf(CrmUnavailableError)
    expect(toCrmError(zoho('HTTP_503', 503))).toBeInstanceOf(CrmUnavailableError)
    expect(toCrmError(zoho('TOKEN_REJECTED', 401))).toBeInstanceOf(CrmUnavailableError)
    expect(toCrmError(new Error('bug'))).toMatchObject({ retryable: true, outcomeUnknown: true })
  })

  it('maps other 4xx to a permanent validation error naming the field', () => {
    const crm = toCrmError(
      zoho('INVALID_DATA', 400, { details: { expected_data_type: 'phone', api_name: 'Phone' } }),
    )
    expect(crm).toBeInstanceOf(CrmValidationError)
    expect(crm).toMatchObject({ field: 'Phone', code: 'INVALID_DATA', retryable: false })
    expect(toCrmError(zoho('INVALID_INPUT', 0, { details: { api_name: 'phone' } }))).toBeInstanceOf(
      CrmValidationError,
    )
  })

  it('reads the envelope at the top level or from the first failed item', () => {
    expect(
      errorFromResponse(401, {
        code: 'INVALID_TOKEN',
        details: {},
        message: 'invalid oauth token',
        status: 'error',
      }),
    ).toMatchObject({ code: 'INVALID_TOKEN', status: 401, message: 'invalid oauth token' })
    expect(
      errorFromResponse(400, {
        data: [
          {
            code: 'MANDATORY_NOT_FOUND',
            details: { api_name: 'Last_Name' },
            message: 'required field not found',
            status: 'error',
          },
        ],
      }),
    ).toMatchObject({ code: 'MANDATORY_NOT_FOUND', details: { api_name: 'Last_Name' } })
    expect(errorFromResponse(502, '<html>bad gateway</html>')).toMatchObject({ code: 'HTTP_502' })
  })

  it('never puts a secret in a message', () => {
    const error = zoho('INVALID_TOKEN', 401)
    expect(error.message).toBe('zoho INVALID_TOKEN (HTTP 401): INVALID_TOKEN happened')
  })
})
