/**
 * @module consumers/crm-sync/directory-rank
 * Who gets a number two people share (pure). The directory answers as the phone search did:
 * Leads before Contacts (findPersonByPhone searched Leads first), then the better field (Phone,
 * Mobile, ... Fax last), then the older record, then the smaller id. A rank is a string whose
 * order is that precedence, so it can be stored with the entry and compared by any writer.
 */
import type { CrmPersonPhones, PersonPhone } from '../../integrations/crm/port.ts'

const moduleOrder = { Leads: 0, Contacts: 1 } as const

const pad = (value: string, width: number) => value.padStart(width, '0')

/** The rank of `person` on one of its numbers; lower wins. */
export const rankOf = (person: CrmPersonPhones, phone: PersonPhone): string =>
  [
    moduleOrder[person.module],
    pad(String(Math.min(phone.preference, 99)), 2),
    person.createdAt === undefined ? '~' : pad(String(Math.max(0, person.createdAt)), 15),
    pad(person.id, 24),
  ].join('.')

/**
 * The rank of an entry the lead-matcher wrote (no rank stored): it keeps its module's place but
 * loses to every directory entry of that module.
 */
export const unrankedOf = (module: CrmPersonPhones['module']): string => `${moduleOrder[module]}.~`

/** One number a person won, with its rank. */
export interface WonNumber {
  readonly e164: string
  readonly rank: string
}

/** The directory to write: each person with the numbers it won. */
export interface DirectoryPlan {
  readonly won: ReadonlyMap<CrmPersonPhones, readonly WonNumber[]>
  /** Distinct numbers. */
  readonly numbers: number
  /** Numbers a person has but another person won. */
  readonly shared: number
}

/**
 * Decides every number among `people` at once.
 * @example
 * ```ts
 * const { won } = planDirectory([lead, contact]) // a number both have goes to the lead
 * ```
 */
export const planDirectory = (people: readonly CrmPersonPhones[]): DirectoryPlan => {
  const best = new Map<string, { person: CrmPersonPhones; rank: string }>()
  let claims = 0
  for (const person of people) {
    for (const phone of person.phones) {
      claims += 1
      const rank = rankOf(person, phone)
      const current = best.get(phone.e164)
      if (!current || rank < current.rank) best.set(phone.e164, { person, rank })
    }
  }
  const won = new Map<CrmPersonPhones, WonNumber[]>(people.map((person) => [person, []]))
  for (const [e164, { person, rank }] of best) won.get(person)?.push({ e164, rank })
  return { won, numbers: best.size, shared: claims - best.size }
}

/** Every number of one person with its rank (a single person read from a notification). */
export const numbersOf = (person: CrmPersonPhones): WonNumber[] =>
  person.phones.map((phone) => ({ e164: phone.e164, rank: rankOf(person, phone) }))
