/**
 * @module integrations/zoho/phone
 * Phone numbers in and out of Zoho. Zoho stores phone fields as entered (no E.164 normalisation)
 * and its `?phone=` search rejects values with special characters (`+`, spaces, brackets) or
 * shorter than two characters with INVALID_DATA. So a caller's number is searched as a short list
 * of digits-only variants (international, national with trunk prefix, national significant
 * number), and the records Zoho returns are re-checked here and ranked deterministically.
 */
import {
  type CountryCode,
  isSupportedCountry,
  type PhoneNumber,
  parsePhoneNumberWithError,
} from 'libphonenumber-js'
import { ZohoApiError } from './errors.ts'

/** A caller's number, parsed once. */
export interface NormalizedPhone {
  /** `+14155550123` */
  readonly e164: string
  /** National significant number, digits only: `4155550123` (UK: `2079460958`). */
  readonly nationalSignificant: string
  /** False when the number is possible (right length) but not in a known range. */
  readonly valid: boolean
}

/**
 * Checks a default region (ISO 3166 alpha-2, e.g. `US`, `GB`) used to read numbers written
 * without a country code.
 * @throws RangeError when libphonenumber does not know the region.
 */
export const checkRegion = (region: string): CountryCode => {
  const upper = region.toUpperCase()
  if (!isSupportedCountry(upper)) throw new RangeError(`unknown phone region ${region}`)
  return upper
}

const parse = (text: string, region: CountryCode): PhoneNumber | undefined => {
  try {
    return parsePhoneNumberWithError(text, region)
  } catch {
    return undefined
  }
}

const digits = (text: string): string => text.replace(/\D/g, '')

/**
 * Parses a caller number (E.164 expected; national numbers are read in `region`). Numbers that
 * are possible but not known-valid are accepted (new ranges reach callers before our metadata),
 * with `valid: false`.
 * @throws ZohoApiError `INVALID_INPUT` when the text is not a possible phone number.
 */
export const normalizePhone = (text: string, region: CountryCode): NormalizedPhone => {
  const phone = parse(text, region)
  if (!phone?.isPossible()) {
    throw new ZohoApiError({
      code: 'INVALID_INPUT',
      status: 0,
      message: 'not a possible phone number',
      details: { api_name: 'phone' },
    })
  }
  return {
    e164: phone.number,
    nationalSignificant: phone.nationalNumber,
    valid: phone.isValid(),
  }
}

/**
 * The digits-only values to send as Zoho's `?phone=`, most specific first and without
 * duplicates: international (`14155550123`), national as dialled in the country, with its trunk
 * prefix (`02079460958`), and the national significant number (`4155550123`). Each is at least
 * two characters and contains no special characters, so none can trigger INVALID_DATA.
 */
export const phoneSearchVariants = (phone: NormalizedPhone, region: CountryCode): string[] => {
  const parsed = parse(phone.e164, region)
  const national = parsed ? digits(parsed.formatNational()) : ''
  const candidates = [digits(phone.e164), national, phone.nationalSignificant]
  return [...new Set(candidates.filter((value) => /^\d{2,}$/.test(value)))]
}

/**
 * How well a stored phone value matches the caller: 3 = same number once parsed, 2 = its digits
 * equal one of our search variants, 1 = its digits end with the national significant number,
 * 0 = no match (Zoho matched on something we cannot see).
 */
export const phoneMatchQuality = (
  stored: string,
  phone: NormalizedPhone,
  region: CountryCode,
): 0 | 1 | 2 | 3 => {
  const storedDigits = digits(stored)
  if (storedDigits.length < 2) return 0
  if (parse(stored, region)?.number === phone.e164) return 3
  if (phoneSearchVariants(phone, region).includes(storedDigits)) return 2
  return storedDigits.endsWith(phone.nationalSignificant) ? 1 : 0
}

/** Standard phone fields, in the order a match on them is preferred. Fax last. */
const fieldRank: Readonly<Record<string, number>> = {
  Phone: 0,
  Mobile: 1,
  Home_Phone: 2,
  Other_Phone: 3,
  Asst_Phone: 4,
  Fax: 9,
}
/** Custom phone fields (any other key naming a phone) rank between the standard ones and Fax. */
const customRank = 5

const isPhoneField = (key: string): boolean => key in fieldRank || /phone|mobile/i.test(key)

/** The best phone field of one record for `phone`. */
export interface PhoneFieldMatch {
  readonly quality: 0 | 1 | 2 | 3
  readonly fieldRank: number
  readonly field?: string
  readonly value?: string
}

/** Finds the record's phone field that matches `phone` best (quality first, then field rank). */
export const bestPhoneField = (
  record: Readonly<Record<string, unknown>>,
  phone: NormalizedPhone,
  region: CountryCode,
): PhoneFieldMatch => {
  let best: PhoneFieldMatch = { quality: 0, fieldRank: Number.MAX_SAFE_INTEGER }
  for (const [field, value] of Object.entries(record)) {
    if (typeof value !== 'string' || !isPhoneField(field)) continue
    const quality = phoneMatchQuality(value, phone, region)
    const rank = fieldRank[field] ?? customRank
    if (
      quality > best.quality ||
      (quality === best.quality && quality > 0 && rank < best.fieldRank)
    ) {
      best = { quality, fieldRank: rank, field, value }
    }
  }
  return best
}

/** Orders numeric-string ids (Zoho ids are 19-digit numbers) without losing precision. */
const compareIds = (a: string, b: string): number =>
  a.length - b.length || (a < b ? -1 : a > b ? 1 : 0)

const createdAt = (record: Readonly<Record<string, unknown>>): number => {
  const value = record['Created_Time']
  const time = typeof value === 'string' ? Date.parse(value) : Number.NaN
  return Number.isNaN(time) ? Number.MAX_SAFE_INTEGER : time
}

/**
 * Picks one record deterministically from what Zoho's phone search returned: best match
 * quality, then the better phone field (Phone before Mobile before ... Fax), then the oldest
 * (the original record rather than a later duplicate), then the smallest id.
 */
export const chooseBestMatch = <R extends Readonly<Record<string, unknown>> & { id: string }>(
  records: readonly R[],
  phone: NormalizedPhone,
  region: CountryCode,
): { record: R; match: PhoneFieldMatch } | null => {
  const ranked = records.map((record) => ({ record, match: bestPhoneField(record, phone, region) }))
  ranked.sort(
    (a, b) =>
      b.match.quality - a.match.quality ||
      a.match.fieldRank - b.match.fieldRank ||
      createdAt(a.record) - createdAt(b.record) ||
      compareIds(a.record.id, b.record.id),
  )
  return ranked[0] ?? null
}
