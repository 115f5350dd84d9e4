/**
 * @module consumers/crm-sync/directory-store
 * Directory writes to the lead-matcher's number → person entries (layout: phone-keys.ts), each
 * under the person's index lock, so it is ordered with the cache's evictions of that person.
 *
 * - `putPerson` writes the numbers a person has (entries `via: 'directory'` with their rank) and
 *   adds them to its index. With `evict` it then evicts the numbers the index listed that the
 *   person no longer has (and that still point to it).
 * - `prunePerson` is that eviction on its own: a full sync first writes everyone, then prunes, so
 *   a number moving from one person to another is never missing in between.
 * - `removePerson` evicts every number of a person that is gone.
 *
 * `since`: a person (or the other holder of a number) touched by a notification at or after this
 * time is left alone: the full sync that passes it read older data.
 */
import type { CrmPersonPhones } from '../../integrations/crm/port.ts'
import type { Kv } from '../../platform/kv/port.ts'
import {
  indexedNumbers,
  PhoneEntry,
  parseJson,
  phoneKey,
  withPersonIndex,
  writeIndex,
} from '../lead-matcher/phone-keys.ts'
import { touchedAt } from './directory-marks.ts'
import { unrankedOf, type WonNumber } from './directory-rank.ts'

/** A person as the directory stores it. */
export type DirectoryPerson = Pick<CrmPersonPhones, 'module' | 'id' | 'ownerId' | 'name'>

export interface PutOptions {
  readonly ttlMs: number
  /** Take numbers whatever rank their current holder has (a full sync decided them all). */
  readonly force: boolean
  /** Evict the indexed numbers the person no longer has. */
  readonly evict: boolean
  /** Skip people touched by a notification at or after this time (full sync). */
  readonly since?: number
}

/** What a write did. */
export interface PutResult {
  readonly skipped: boolean
  readonly written: readonly string[]
  /** Numbers another person holds with a better rank. */
  readonly lost: readonly string[]
  readonly evicted: readonly string[]
}

const skipped: PutResult = { skipped: true, written: [], lost: [], evicted: [] }

const touchedSince = async (kv: Kv, module: string, id: string, since?: number) =>
  since !== undefined && ((await touchedAt(kv, module, id)) ?? 0) >= since

const entryOf = async (kv: Kv, e164: string) => parseJson(PhoneEntry, await kv.get(phoneKey(e164)))

const isOf = (entry: PhoneEntry | null, person: DirectoryPerson) =>
  entry?.module === person.module && entry.id === person.id

/** Deletes the entries among `numbers` that still point to `person`; returns them. */
const evictOwn = async (kv: Kv, person: DirectoryPerson, numbers: readonly string[]) => {
  const evicted: string[] = []
  for (const e164 of numbers) {
    if (isOf(await entryOf(kv, e164), person) && (await kv.delete(phoneKey(e164)))) {
      evicted.push(e164)
    }
  }
  return evicted
}

export const putPerson = (
  kv: Kv,
  person: DirectoryPerson,
  numbers: readonly WonNumber[],
  options: PutOptions,
): Promise<PutResult> =>
  withPersonIndex(kv, person.module, person.id, async () => {
    if (await touchedSince(kv, person.module, person.id, options.since)) return skipped
    const before = await indexedNumbers(kv, person.module, person.id)
    const written: string[] = []
    const lost: string[] = []
    for (const { e164, rank } of numbers) {
      const holder = await entryOf(kv, e164)
      if (holder && !isOf(holder, person)) {
        // A full sync decided every number, but not against what notifications wrote since.
        const keeps = options.force
          ? await touchedSince(kv, holder.module, holder.id, options.since)
          : (holder.rank ?? unrankedOf(holder.module)) < rank
        if (keeps) {
          lost.push(e164)
          continue
        }
      }
      const entry: PhoneEntry = {
        module: person.module,
        id: person.id,
        ...(person.ownerId ? { ownerId: person.ownerId } : {}),
        ...(person.name ? { name: person.name } : {}),
        via: 'directory',
        rank,
      }
      await kv.set(phoneKey(e164), JSON.stringify(entry), options.ttlMs)
      written.push(e164)
    }
    const gone = before.filter((e164) => !written.includes(e164))
    const evicted = options.evict ? await evictOwn(kv, person, gone) : []
    const kept = options.evict ? written : [...before, ...written]
    await writeIndex(kv, person.module, person.id, kept, options.ttlMs)
    return { skipped: false, written, lost, evicted }
  })

/** Evicts the person's indexed numbers other than `keep`; returns the evicted ones. */
export const prunePerson = (
  kv: Kv,
  person: DirectoryPerson,
  keep: readonly string[],
  options: { ttlMs: number; since?: number },
): Promise<string[]> =>
  withPersonIndex(kv, person.module, person.id, async () => {
    if (await touchedSince(kv, person.module, person.id, options.since)) return []
    const before = await indexedNumbers(kv, person.module, person.id)
    const evicted = await evictOwn(
      kv,
      person,
      before.filter((e164) => !keep.includes(e164)),
    )
    await writeIndex(kv, person.module, person.id, keep, options.ttlMs)
    return evicted
  })

/** Evicts every number of a person that no longer exists; returns them. */
export const removePerson = (
  kv: Kv,
  person: DirectoryPerson,
  options: { since?: number } = {},
): Promise<string[]> =>
  withPersonIndex(kv, person.module, person.id, async () => {
    if (await touchedSince(kv, person.module, person.id, options.since)) return []
    const evicted = await evictOwn(kv, person, await indexedNumbers(kv, person.module, person.id))
    await writeIndex(kv, person.module, person.id, [], 0)
    return evicted
  })
