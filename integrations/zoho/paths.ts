/**
 * @module integrations/zoho/paths
 * API paths, with the module names and record ids that go into them checked first, so nothing a
 * caller passes can change which endpoint is called.
 */
import { ZohoApiError } from './errors.ts'

/** The API version every path uses. */
export const apiBase = '/crm/v8'

const segment = (value: string, what: string, pattern: RegExp): string => {
  if (!pattern.test(value)) {
    throw new ZohoApiError({
      code: 'INVALID_INPUT',
      status: 0,
      message: `not a valid Zoho ${what}: ${JSON.stringify(value.slice(0, 40))}`,
      details: { api_name: what },
    })
  }
  return value
}

/** A module API name (`Leads`, `Sales_Orders`, `Custom_Module__c`...). */
export const moduleName = (value: string): string =>
  segment(value, 'module', /^[A-Za-z][A-Za-z0-9_]{0,99}$/)

/** A record id (Zoho ids are long numbers; letters are allowed for other installations). */
export const recordId = (value: string): string =>
  segment(value, 'record id', /^[A-Za-z0-9_-]{1,64}$/)
