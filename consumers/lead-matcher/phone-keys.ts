/**
 * @module consumers/lead-matcher/phone-keys
 * The kv layout of the number → person cache, shared by its writers: the lead-matcher
 * (phone-cache.ts) and crm-sync's phone directory (consumers/crm-sync/directory-store.ts).
 *
 * - `lead-matcher:phone:<e164>`: the entry, {@link PhoneEntry};
 * - `lead-matcher:phones-of:<module>:<id>`: the numbers with an entry for that person (reverse
 *   index), so a change of the person evicts them without knowing its old numbers. It outlives
 *   every entry it lists: a write never shortens its expiry;
 * - `lead-matcher:changed:<module>:<id>`: the person changed a moment ago; the lead-matcher does
 *   not cache what it found for them (its search may have read Zoho's lagging index).
 */
import { z } from 'zod'
import type { Kv } from '../../platform/kv/port.ts'
import { withLock } from './kv-lock.ts'

/** A cached match: what the pipeline needs of the person behind a number. */
export const CachedPerson = z.object({
  module: z.enum(['Leads', 'Contacts']),
  id: z.string().min(1),
  ownerId: z.string().min(1).exactOptional(),
  name: z.string().exactOptional(),
})
export type CachedPerson = z.infer<typeof CachedPerson>

/** An entry as stored: the person, and for directory entries their precedence on the number. */
export const PhoneEntry = CachedPerson.extend({
  /** Set by the phone directory (a complete or current read of the CRM). */
  via: z.literal('directory').exactOptional(),
  /** Directory entries: lower wins the number when two people have it (see directory-rank.ts). */
  rank: z.string().exactOptional(),
})
export type PhoneEntry = z.infer<typeof PhoneEntry>

/** How long a changed person is not cached by the lead-matcher, by default (Zoho's index lag). */
export const defaultChangedTtlMs = 120_000

export const phoneKey = (e164: string) => `lead-matcher:phone:${e164}`
export const indexKey = (module: string, id: string) => `lead-matcher:phones-of:${module}:${id}`
export const changedKey = (module: string, id: string) => `lead-matcher:changed:${module}:${id}`

/** Parses a kv value with `schema`; null when absent or unreadable. */
export const parseJson = <T>(schema: z.ZodType<T>, text: string | null): T | null => {
  if (text === null) return null
  try {
    const parsed = schema.safeParse(JSON.parse(text))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

const NumberList = z.array(z.string())

/** The numbers indexed for a person. */
export const indexedNumbers = async (kv: Kv, module: string, id: string): Promise<string[]> =>
  parseJson(NumberList, await kv.get(indexKey(module, id))) ?? []

/**
 * Writes a person's index (deletes it when empty). Its expiry becomes `ttlMs` unless it already
 * had a longer one: a short-lived cache write must not orphan longer-lived directory entries.
 */
export const writeIndex = async (
  kv: Kv,
  module: string,
  id: string,
  numbers: readonly string[],
  ttlMs: number,
): Promise<void> => {
  const key = indexKey(module, id)
  if (numbers.length === 0) {
    await kv.delete(key)
    return
  }
  const remaining = (await kv.ttl(key)) ?? 0
  await kv.set(key, JSON.stringify([...new Set(numbers)]), Math.max(ttlMs, remaining))
}

/**
 * Runs `work` holding the lock of a person's index (read-modify-write of the index by several
 * replicas). Throws LockBusyError when it stays taken for a second.
 */
export const withPersonIndex = <T>(
  kv: Kv,
  module: string,
  id: string,
  work: () => Promise<T>,
): Promise<T> =>
  withLock(kv, `${indexKey(module, id)}:lock`, { ttlMs: 5_000, waitMs: 1_000 }, () => work())
