/**
 * @module integrations/zoho/records
 * Leads and Contacts: phone search, create, update. Search sends the digits-only variants from
 * phone.ts one at a time (most specific first) and stops at the first that finds anything; 204
 * means no match. Creates are POSTs (retried only where Zoho cannot have applied them, see
 * retry-policy.ts); updates are PUTs (idempotent, retried).
 */
import type { CountryCode } from 'libphonenumber-js'
import type { NewLead } from '../crm/port.ts'
import { ZohoApiError } from './errors.ts'
import { apiBase, moduleName, recordId } from './paths.ts'
import { normalizePhone, phoneSearchVariants } from './phone.ts'
import { type PersonRecord, RecordsResponse } from './schemas.ts'
import type { ZohoTransport } from './transport.ts'
import { firstResult, writtenId } from './write-result.ts'

/** Zoho field values of a record to write, by API name (`Last_Name`, `Phone`, `Owner`...). */
export type ZohoFields = Readonly<Record<string, unknown>>

/**
 * Searches `module` by phone with Zoho's `?phone=` (every phone field of the module). Returns the
 * records of the first variant that matches anything; an empty list when none does.
 * @throws ZohoApiError `INVALID_INPUT` when `phone` is not a possible phone number.
 */
export const searchByPhone = async (
  transport: ZohoTransport,
  module: string,
  phone: string,
  region: CountryCode,
): Promise<PersonRecord[]> => {
  const name = moduleName(module)
  const normalized = normalizePhone(phone, region)
  for (const variant of phoneSearchVariants(normalized, region)) {
    const response = await transport.request({
      operation: 'searchByPhone',
      method: 'GET',
      path: `${apiBase}/${name}/search`,
      query: { phone: variant },
    })
    if (response.status === 204 || response.body === null) continue
    const parsed = RecordsResponse.safeParse(response.body)
    if (!parsed.success) {
      throw new ZohoApiError({
        code: 'UNEXPECTED_RESPONSE',
        status: response.status,
        message: `searchByPhone: ${name} search answer has no readable data[]`,
        cause: parsed.error,
      })
    }
    if (parsed.data.data.length > 0) return parsed.data.data
  }
  return []
}

/** Creates one record and returns its id. */
export const createRecord = async (
  transport: ZohoTransport,
  module: string,
  fields: ZohoFields,
  operation = 'createRecord',
): Promise<{ id: string }> => {
  const response = await transport.request({
    operation,
    method: 'POST',
    path: `${apiBase}/${moduleName(module)}`,
    json: { data: [fields] },
  })
  return { id: writtenId(response, operation) }
}

/** Updates fields of one record (PUT, idempotent). */
export const updateRecord = async (
  transport: ZohoTransport,
  module: string,
  id: string,
  fields: ZohoFields,
  operation = 'updateRecord',
): Promise<void> => {
  const response = await transport.request({
    operation,
    method: 'PUT',
    path: `${apiBase}/${moduleName(module)}/${recordId(id)}`,
    json: { data: [fields] },
  })
  firstResult(response, operation, { created: false })
}

/** The Zoho fields of a new lead. Absent optional values are left out, not sent as null. */
export const leadFields = (
  lead: NewLead,
  defaults: { leadSource?: string; company?: string } = {},
) => {
  const fields: Record<string, unknown> = { Last_Name: lead.lastName, Phone: lead.phone }
  if (lead.firstName) fields['First_Name'] = lead.firstName
  const source = lead.leadSource ?? defaults.leadSource
  if (source) fields['Lead_Source'] = source
  if (lead.ownerId) fields['Owner'] = { id: lead.ownerId }
  if (lead.description) fields['Description'] = lead.description
  const company = lead.company ?? defaults.company
  if (company) fields['Company'] = company
  return fields
}
