/**
 * @module integrations/zoho/write-result
 * Reads the answer of a Zoho write (`{data: [{code, status, message, details}]}`): the created
 * id on success, a {@link ZohoApiError} carrying Zoho's per-record code and field otherwise.
 */
import { ZohoApiError } from './errors.ts'
import { WatchWriteResponse, WriteResponse, type WriteResult } from './schemas.ts'
import type { ZohoResponse } from './transport.ts'

/** The first per-record result, or an error when there is none or it failed. */
export const firstResult = (
  response: ZohoResponse,
  operation: string,
  { created }: { created: boolean },
  list: 'data' | 'watch' = 'data',
): WriteResult => {
  const results =
    list === 'data'
      ? WriteResponse.safeParse(response.body).data?.data
      : WatchWriteResponse.safeParse(response.body).data?.watch
  const result = results?.[0]
  if (!result) {
    throw new ZohoApiError({
      code: 'UNEXPECTED_RESPONSE',
      status: response.status,
      message: `${operation}: Zoho answered ${response.status} without a ${list}[] result`,
      // The write was accepted; whether it was applied cannot be told from this answer.
      outcomeUnknown: created,
    })
  }
  if (result.status !== 'success') {
    throw new ZohoApiError({
      code: result.code,
      status: response.status,
      message: result.message ?? result.code,
      details: result.details ?? {},
    })
  }
  return result
}

/** The id of the record a successful write created or changed. */
export const writtenId = (response: ZohoResponse, operation: string): string => {
  const result = firstResult(response, operation, { created: true })
  const id = result.details?.['id']
  if (typeof id !== 'string' || id === '') {
    throw new ZohoApiError({
      code: 'UNEXPECTED_RESPONSE',
      status: response.status,
      message: `${operation}: Zoho reported success without a record id`,
      outcomeUnknown: true,
    })
  }
  return id
}
