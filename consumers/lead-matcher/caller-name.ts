/**
 * @module consumers/lead-matcher/caller-name
 * The name of a lead created for an unknown caller, from the caller id RingCentral reports. Caller
 * id (CNAM) is often upper case, sometimes `LAST, FIRST`, and often a placeholder (`WIRELESS
 * CALLER`, `UNKNOWN`) or the number itself: placeholders give `Unknown caller <number>`.
 */

/** First and last name of a lead (Zoho `First_Name`, `Last_Name`). */
export interface LeadName {
  readonly firstName?: string
  readonly lastName: string
}

/** Caller ids that name nobody (compared upper case, single spaces). */
const placeholders = new Set([
  'ANONYMOUS',
  'BLOCKED',
  'CELL PHONE',
  'NO CALLER ID',
  'NOT AVAILABLE',
  'OUT OF AREA',
  'PRIVATE',
  'PRIVATE CALLER',
  'PRIVATE NUMBER',
  'RESTRICTED',
  'TOLL FREE CALL',
  'UNAVAILABLE',
  'UNKNOWN',
  'UNKNOWN CALLER',
  'UNKNOWN NAME',
  'WIRELESS CALLER',
])

/** Zoho's field lengths: First_Name 40, Last_Name 80. */
const FIRST_MAX = 40
const LAST_MAX = 80

const titleCase = (word: string): string =>
  /\d/.test(word)
    ? word
    : word
        .toLowerCase()
        .replace(
          /(^|[-'])(\p{L})/gu,
          (_m, sep: string, letter: string) => sep + letter.toUpperCase(),
        )

/** Upper-case (or lower-case) caller ids are title-cased; mixed case is kept as given. */
const recase = (words: readonly string[]): string[] => {
  const text = words.join(' ')
  const shouting = text === text.toUpperCase() || text === text.toLowerCase()
  return shouting ? words.map(titleCase) : [...words]
}

/**
 * The lead name for a caller id.
 *
 * @example
 * ```ts
 * leadNameOf('SMITH, JOHN', '+14155550100') // { firstName: 'John', lastName: 'Smith' }
 * leadNameOf('Mary Ann Lee', '+14155550100') // { firstName: 'Mary Ann', lastName: 'Lee' }
 * leadNameOf('WIRELESS CALLER', '+14155550100') // { lastName: 'Unknown caller +14155550100' }
 * ```
 */
export const leadNameOf = (callerId: string | undefined, e164: string): LeadName => {
  const fallback = { lastName: `Unknown caller ${e164}` }
  const cleaned = (callerId ?? '')
    .replace(/[^\p{L}\p{N}\s.,'&-]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  if (!/\p{L}/u.test(cleaned) || placeholders.has(cleaned.toUpperCase())) return fallback

  const comma = cleaned.indexOf(',')
  const [lastPart, firstPart] =
    comma > 0 ? [cleaned.slice(0, comma), cleaned.slice(comma + 1)] : [cleaned, '']
  const words = (text: string) => text.split(/[\s,]+/).filter((word) => /[\p{L}\p{N}]/u.test(word))
  let first: string[]
  let last: string[]
  if (comma > 0 && words(firstPart).length > 0) {
    first = words(firstPart)
    last = words(lastPart)
  } else {
    const all = words(cleaned)
    last = all.slice(-1)
    first = all.slice(0, -1)
  }
  const [firstName, lastName] = [recase(first).join(' '), recase(last).join(' ')]
  if (lastName === '') return fallback
  return firstName === ''
    ? { lastName: lastName.slice(0, LAST_MAX) }
    : { firstName: firstName.slice(0, FIRST_MAX), lastName: lastName.slice(0, LAST_MAX) }
}
