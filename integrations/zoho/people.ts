/**
 * @module integrations/zoho/people
 * Leads and Contacts with every phone number they have, read with Get Records (no search index
 * lag): a listing paged with `page_token` (200 a page; `page` alone would stop at 2,000 records)
 * and a read by ids (at most 100 per request). Phone values are parsed once here into E.164
 * (numbers without a country code read in the client's region) and ranked like phone.ts ranks
 * search matches: Phone, Mobile, Home/Other/Asst phone, Fax last.
 */
import type { CountryCode } from 'libphonenumber-js'
import type { CrmPersonPhones, PersonModule, PersonPhone } from '../crm/port.ts'
import { ZohoApiError } from './errors.ts'
import { apiBase, moduleName, recordId } from './paths.ts'
import { normalizePhone } from './phone.ts'
import { type PersonRecord, RecordListResponse } from './schemas.ts'
import type { ZohoTransport } from './transport.ts'

/** The standard phone fields of each module, preferred first (the fields `?phone=` searches). */
export const phoneFieldsOf: Readonly<Record<PersonModule, readonly string[]>> = {
  Leads: ['Phone', 'Mobile', 'Fax'],
  Contacts: ['Phone', 'Mobile', 'Home_Phone', 'Other_Phone', 'Asst_Phone', 'Fax'],
}

/** Every field the directory reads of a person (well under Get Records' 50). */
export const personFieldsOf = (module: PersonModule): string[] => [
  ...phoneFieldsOf[module],
  'Owner',
  'Full_Name',
  'First_Name',
  'Last_Name',
  'Created_Time',
  ...(module === 'Leads' ? ['Converted__s'] : []),
]

/** One page of a listing. */
export interface RecordPage {
  readonly records: PersonRecord[]
  /** `info.next_page_token`; absent on the last page. */
  readonly nextPageToken?: string
}

const MAX_IDS = 100

const parseList = (response: { status: number; body: unknown }, operation: string) => {
  if (response.status === 204 || response.body === null) return { data: [], info: undefined }
  const parsed = RecordListResponse.safeParse(response.body)
  if (!parsed.success) {
    throw new ZohoApiError({
      code: 'UNEXPECTED_RESPONSE',
      status: response.status,
      message: `${operation}: answer has no readable data[]`,
      cause: parsed.error,
    })
  }
  return parsed.data
}

/** One page of `module` (200 records), after `pageToken` when given. */
export const listRecordsPage = async (
  transport: ZohoTransport,
  module: string,
  fields: readonly string[],
  pageToken?: string,
): Promise<RecordPage> => {
  const response = await transport.request({
    operation: 'listRecords',
    method: 'GET',
    path: `${apiBase}/${moduleName(module)}`,
    query: { fields: fields.join(','), per_page: '200', page_token: pageToken },
  })
  const { data, info } = parseList(response, 'listRecords')
  const next = info?.more_records === true ? info.next_page_token : undefined
  if (info?.more_records === true && !next) {
    throw new ZohoApiError({
      code: 'UNEXPECTED_RESPONSE',
      status: response.status,
      message: 'listRecords: more_records without a next_page_token',
    })
  }
  return next ? { records: data, nextPageToken: next } : { records: data }
}

/** The records of `module` with these ids, 100 ids per request; unknown ids are left out. */
export const recordsByIds = async (
  transport: ZohoTransport,
  module: string,
  ids: readonly string[],
  fields: readonly string[],
): Promise<PersonRecord[]> => {
  const unique = [...new Set(ids)].map(recordId)
  const records: PersonRecord[] = []
  for (let at = 0; at < unique.length; at += MAX_IDS) {
    const response = await transport.request({
      operation: 'getRecords',
      method: 'GET',
      path: `${apiBase}/${moduleName(module)}`,
      query: { ids: unique.slice(at, at + MAX_IDS).join(','), fields: fields.join(',') },
    })
    records.push(...parseList(response, 'getRecords').data)
  }
  return records
}

const nameOf = (record: PersonRecord): string | undefined => {
  const full = record.Full_Name ?? [record.First_Name, record.Last_Name].filter(Boolean).join(' ')
  return full ? full : undefined
}

/** A record as the CRM port's {@link CrmPersonPhones}: numbers in E.164, best field first. */
export const personPhonesOf = (
  record: PersonRecord,
  module: PersonModule,
  region: CountryCode,
): CrmPersonPhones => {
  const phones: PersonPhone[] = []
  let unreadable = 0
  phoneFieldsOf[module].forEach((field, preference) => {
    const value = record[field]
    if (typeof value !== 'string' || value.trim() === '') return
    try {
      const { e164 } = normalizePhone(value, region)
      if (!phones.some((phone) => phone.e164 === e164)) phones.push({ e164, field, preference })
    } catch {
      unreadable += 1
    }
  })
  const name = nameOf(record)
  const createdAt = record.Created_Time ? Date.parse(record.Created_Time) : Number.NaN
  return {
    module,
    id: record.id,
    ...(record.Owner?.id ? { ownerId: record.Owner.id } : {}),
    ...(name ? { name } : {}),
    ...(Number.isNaN(createdAt) ? {} : { createdAt }),
    phones,
    unreadable,
  }
}

/** Converted leads are hidden from matching, as the phone search hides them. */
export const isConverted = (record: PersonRecord): boolean => record['Converted__s'] === true
