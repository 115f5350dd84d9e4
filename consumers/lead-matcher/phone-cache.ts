/**
 * @module consumers/lead-matcher/phone-cache
 * The number → person cache in the kv, shared by every replica: `lead-matcher:phone:<e164>` holds
 * `{ module, id, ownerId?, name? }` for `ttlMs`. Beside it, a reverse index per person
 * (`lead-matcher:phones-of:<module>:<id>`, the numbers cached for it) lets crm-sync evict every
 * entry of a record Zoho reports as changed without knowing its old numbers, and a short-lived
 * "changed" mark (`lead-matcher:changed:<module>:<id>`) keeps a lookup that raced the change, or
 * read Zoho's lagging search index, from caching the old facts again.
 *
 * Ordering that makes the race safe: `forgetPerson` marks first, then reads the index and evicts;
 * `remember` writes the index, then the entry, then checks the mark and evicts itself if marked.
 */
import { z } from 'zod'
import type { Kv } from '../../platform/kv/port.ts'
import { LockBusyError, withLock } from './kv-lock.ts'

/** A cached match: what the pipeline needs of the person behind a number. */
export const CachedPerson = z.object({
  module: z.enum(['Leads', 'Contacts']),
  id: z.string().min(1),
  ownerId: z.string().min(1).exactOptional(),
  name: z.string().exactOptional(),
})
export type CachedPerson = z.infer<typeof CachedPerson>

const NumberList = z.array(z.string())

/** Options of {@link createPhoneCache}. */
export interface PhoneCacheOptions {
  readonly kv: Kv
  /** Lifetime of a cached match. Default 1 h. */
  readonly ttlMs?: number
  /**
   * How long a record reported as changed is not cached again (covers Zoho's search index lag
   * and lookups already in flight). Default 2 min.
   */
  readonly changedTtlMs?: number
}

/** The cache, as the lead-matcher reads and fills it and crm-sync evicts from it. */
export interface PhoneCache {
  get(e164: string): Promise<CachedPerson | null>
  /** Caches `e164` → `person`; false when it was not cached (the person is marked changed). */
  remember(e164: string, person: CachedPerson): Promise<boolean>
  /** Marks the record changed and evicts every number cached for it; returns those numbers. */
  forgetPerson(module: CachedPerson['module'], id: string): Promise<string[]>
  /** Evicts one number, unless it is cached for the record `unlessId`; true when evicted. */
  forgetNumber(e164: string, options?: { unlessId?: string }): Promise<boolean>
}

const phoneKey = (e164: string) => `lead-matcher:phone:${e164}`
const indexKey = (module: string, id: string) => `lead-matcher:phones-of:${module}:${id}`
const changedKey = (module: string, id: string) => `lead-matcher:changed:${module}:${id}`

const parseJson = <T>(schema: z.ZodType<T>, text: string | null): T | null => {
  if (text === null) return null
  try {
    const parsed = schema.safeParse(JSON.parse(text))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

/**
 * Creates the cache on `kv`.
 * @example
 * ```ts
 * const cache = createPhoneCache({ kv, ttlMs: 3_600_000 })
 * const person = await cache.get('+14155550100')
 * ```
 */
export const createPhoneCache = ({
  kv,
  ttlMs = 60 * 60 * 1000,
  changedTtlMs = 120_000,
}: PhoneCacheOptions): PhoneCache => {
  const numbersOf = async (module: string, id: string) =>
    parseJson(NumberList, await kv.get(indexKey(module, id))) ?? []
  const isChanged = async (person: CachedPerson) =>
    (await kv.get(changedKey(person.module, person.id))) !== null

  const forgetNumber: PhoneCache['forgetNumber'] = async (e164, options = {}) => {
    if (options.unlessId !== undefined) {
      const cached = parseJson(CachedPerson, await kv.get(phoneKey(e164)))
      if (cached?.id === options.unlessId) return false
    }
    return kv.delete(phoneKey(e164))
  }

  return {
    get: async (e164) => parseJson(CachedPerson, await kv.get(phoneKey(e164))),
    remember: async (e164, person) => {
      if (await isChanged(person)) return false
      try {
        // The index outlives every entry it lists: its expiry is renewed with each new entry.
        await withLock(
          kv,
          `${indexKey(person.module, person.id)}:lock`,
          { ttlMs: 5_000, waitMs: 1_000 },
          async () => {
            const numbers = new Set(await numbersOf(person.module, person.id))
            numbers.add(e164)
            await kv.set(indexKey(person.module, person.id), JSON.stringify([...numbers]), ttlMs)
          },
        )
      } catch (error) {
        // Not indexed means crm-sync could not evict it: better not cached at all.
        if (error instanceof LockBusyError) return false
        throw error
      }
      await kv.set(phoneKey(e164), JSON.stringify(CachedPerson.parse(person)), ttlMs)
      if (await isChanged(person)) {
        await kv.delete(phoneKey(e164))
        return false
      }
      return true
    },
    forgetPerson: async (module, id) => {
      await kv.set(changedKey(module, id), '1', changedTtlMs)
      const numbers = await numbersOf(module, id)
      const evicted: string[] = []
      for (const e164 of numbers) {
        // A number cached for someone else since then is left alone.
        const cached = parseJson(CachedPerson, await kv.get(phoneKey(e164)))
        if (cached?.module === module && cached.id === id && (await kv.delete(phoneKey(e164)))) {
          evicted.push(e164)
        }
      }
      await kv.delete(indexKey(module, id))
      return evicted
    },
    forgetNumber,
  }
}
