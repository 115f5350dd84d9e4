/**
 * @module consumers/crm-sync/changes
 * What a Zoho notification means for the lead-matcher's phone cache (pure). The Crm port cannot
 * read a record by id, so nothing is re-fetched: cached matches are EVICTED and the next call from
 * that number asks Zoho again.
 *
 * - `delete` of a lead or contact: forget every number cached for it.
 * - `update`: forget every number cached for it (its old numbers are known only to the cache's
 *   reverse index), plus the numbers it has now. With `affected_fields`, an update that touches
 *   no cached fact (phones, owner, name, conversion) is ignored.
 * - `insert`: forget the numbers the new record has (per `affected_fields`) when they are cached
 *   for someone else, so Zoho's match order (Leads, then Contacts) decides again.
 * - another operation: as an update without fields.
 */
import { type CountryCode, isSupportedCountry, parsePhoneNumberWithError } from 'libphonenumber-js'
import { z } from 'zod'
import type { ZohoNotification } from '../../schemas/zoho/notification.ts'

/** The modules the phone cache holds. */
export type CachedModule = 'Leads' | 'Contacts'

/** One eviction. */
export type CacheChange =
  | { readonly kind: 'forget-person'; readonly module: CachedModule; readonly id: string }
  | { readonly kind: 'forget-number'; readonly e164: string; readonly unlessId: string }

/** The evictions a notification asks for, or why it asks for none. */
export interface CacheChanges {
  readonly changes: readonly CacheChange[]
  /** Set when the notification changes nothing cached. */
  readonly ignored?: string
}

/** Fields whose name says they hold a phone number (standard and custom phone fields). */
const phoneField = /phone|mobile|fax/i
/** Other fields the cache keeps facts of: owner, display name, lead conversion. */
const cachedFacts = /^(Owner|First_Name|Last_Name|Full_Name|Salutation|Convert.*|\$converted.*)$/i

const FieldMaps = z.union([
  z.array(z.record(z.string(), z.record(z.string(), z.unknown()))),
  z.record(z.string(), z.record(z.string(), z.unknown())),
])

/**
 * `affected_fields` by record id; null when absent or unreadable (its shape is not documented;
 * Zoho's sample and the simulator send `[{ "<id>": { Field: value } }]`).
 */
export const affectedFieldsById = (
  value: unknown,
): Map<string, Readonly<Record<string, unknown>>> | null => {
  const parsed = FieldMaps.safeParse(value)
  if (!parsed.success) return null
  const maps = Array.isArray(parsed.data) ? parsed.data : [parsed.data]
  const byId = new Map<string, Readonly<Record<string, unknown>>>()
  for (const map of maps) {
    for (const [id, fields] of Object.entries(map)) byId.set(id, { ...byId.get(id), ...fields })
  }
  return byId
}

const e164Of = (value: unknown, region: CountryCode): string | undefined => {
  if (typeof value !== 'string' || !/\d/.test(value)) return undefined
  try {
    const phone = parsePhoneNumberWithError(value, region)
    return phone.isPossible() ? phone.number : undefined
  } catch {
    return undefined
  }
}

/** The numbers among `fields` (E.164), read in `region` when they have no country code. */
export const numbersIn = (
  fields: Readonly<Record<string, unknown>>,
  region: CountryCode,
): string[] => {
  const numbers = Object.entries(fields)
    .filter(([name]) => phoneField.test(name))
    .map(([, value]) => e164Of(value, region))
    .filter((e164): e164 is string => e164 !== undefined)
  return [...new Set(numbers)]
}

/** True when `fields` name a phone field or a fact the cache keeps (owner, name, conversion). */
export const touchesCache = (fields: Readonly<Record<string, unknown>>): boolean =>
  Object.keys(fields).some((name) => phoneField.test(name) || cachedFacts.test(name))

/**
 * The evictions `notification` asks for.
 * @throws RangeError when `region` is not a known country code.
 * @example
 * ```ts
 * cacheChangesOf({ module: 'Leads', operation: 'delete', ids: ['48768'] }, 'US')
 * // { changes: [{ kind: 'forget-person', module: 'Leads', id: '48768' }] }
 * ```
 */
export const cacheChangesOf = (
  notification: Pick<ZohoNotification, 'module' | 'operation' | 'ids' | 'affected_fields'>,
  region: string,
): CacheChanges => {
  if (!isSupportedCountry(region)) throw new RangeError(`unknown phone region ${region}`)
  const { module, operation } = notification
  if (module !== 'Leads' && module !== 'Contacts') {
    return { changes: [], ignored: `${module} records are not cached` }
  }
  const affected = affectedFieldsById(notification.affected_fields)
  const changes: CacheChange[] = []
  for (const id of notification.ids.map(String)) {
    const fields = affected?.get(id)
    const numbers = fields ? numbersIn(fields, region) : []
    const forgetNumbers = numbers.map(
      (e164): CacheChange => ({ kind: 'forget-number', e164, unlessId: id }),
    )
    if (operation === 'insert') {
      changes.push(...forgetNumbers)
    } else if (operation === 'delete') {
      changes.push({ kind: 'forget-person', module, id })
    } else if (!fields || touchesCache(fields)) {
      changes.push({ kind: 'forget-person', module, id }, ...forgetNumbers)
    }
  }
  if (changes.length > 0) return { changes }
  return {
    changes,
    ignored:
      operation === 'insert'
        ? 'the new records carry no phone numbers in affected_fields'
        : 'no cached field changed',
  }
}
