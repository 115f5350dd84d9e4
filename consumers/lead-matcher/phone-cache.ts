/**
 * @module consumers/lead-matcher/phone-cache
 * The number → person cache in the kv, shared by every replica (layout: phone-keys.ts). The
 * lead-matcher fills it with what it found or created (`ttlMs`); crm-sync's phone directory fills
 * it with every number of the CRM (entries marked `via: 'directory'`) and evicts what changed.
 * A reverse index per person lets crm-sync evict every entry of a record Zoho reports as changed
 * without knowing its old numbers, and a short-lived "changed" mark keeps a lookup that raced the
 * change, or read Zoho's lagging search index, from caching the old facts again.
 *
 * Ordering that makes the race safe: `forgetPerson` marks first, then reads the index and evicts;
 * `remember` writes the index, then the entry, then checks the mark and evicts itself if marked.
 */
import type { Kv } from '../../platform/kv/port.ts'
import { LockBusyError } from './kv-lock.ts'
import {
  CachedPerson,
  changedKey,
  defaultChangedTtlMs,
  indexedNumbers,
  indexKey,
  PhoneEntry,
  parseJson,
  phoneKey,
  withPersonIndex,
  writeIndex,
} from './phone-keys.ts'

export { CachedPerson }

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

/** A cache hit and who wrote it: the phone directory, or the lead-matcher itself. */
export interface CacheHit {
  readonly person: CachedPerson
  readonly origin: 'directory' | 'cache'
}

/** The cache, as the lead-matcher reads and fills it and crm-sync evicts from it. */
export interface PhoneCache {
  get(e164: string): Promise<CachedPerson | null>
  /** Like `get`, saying whether the entry came from the phone directory. */
  lookup(e164: string): Promise<CacheHit | null>
  /**
   * Caches `e164` → `person` (for `ttlMs`, default the cache's); false when it was not cached
   * (the person is marked changed).
   */
  remember(e164: string, person: CachedPerson, options?: { ttlMs?: number }): Promise<boolean>
  /**
   * Marks the record changed and evicts every number cached for it; returns those numbers.
   * Throws LockBusyError when its index stays locked (the caller retries).
   */
  forgetPerson(module: CachedPerson['module'], id: string): Promise<string[]>
  /** Evicts one number, unless it is cached for the record `unlessId`; true when evicted. */
  forgetNumber(e164: string, options?: { unlessId?: string }): Promise<boolean>
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
  changedTtlMs = defaultChangedTtlMs,
}: PhoneCacheOptions): PhoneCache => {
  const isChanged = async (person: CachedPerson) =>
    (await kv.get(changedKey(person.module, person.id))) !== null
  const entry = async (e164: string) => parseJson(PhoneEntry, await kv.get(phoneKey(e164)))

  const forgetNumber: PhoneCache['forgetNumber'] = async (e164, options = {}) => {
    if (options.unlessId !== undefined) {
      const cached = await entry(e164)
      if (cached?.id === options.unlessId) return false
    }
    return kv.delete(phoneKey(e164))
  }

  return {
    get: async (e164) => parseJson(CachedPerson, await kv.get(phoneKey(e164))),
    lookup: async (e164) => {
      const found = await entry(e164)
      if (!found) return null
      const { via, rank: _rank, ...person } = found
      return { person, origin: via === 'directory' ? 'directory' : 'cache' }
    },
    remember: async (e164, person, options = {}) => {
      const lifetime = options.ttlMs ?? ttlMs
      if (await isChanged(person)) return false
      try {
        await withPersonIndex(kv, person.module, person.id, async () => {
          const numbers = await indexedNumbers(kv, person.module, person.id)
          await writeIndex(kv, person.module, person.id, [...numbers, e164], lifetime)
        })
      } catch (error) {
        // Not indexed means crm-sync could not evict it: better not cached at all.
        if (error instanceof LockBusyError) return false
        throw error
      }
      await kv.set(phoneKey(e164), JSON.stringify(CachedPerson.parse(person)), lifetime)
      if (await isChanged(person)) {
        await kv.delete(phoneKey(e164))
        return false
      }
      return true
    },
    forgetPerson: async (module, id) => {
      await kv.set(changedKey(module, id), '1', changedTtlMs)
      // Under the index lock: a directory write of this person is either all before or all after.
      return withPersonIndex(kv, module, id, async () => {
        const evicted: string[] = []
        for (const e164 of await indexedNumbers(kv, module, id)) {
          // A number cached for someone else since then is left alone.
          const cached = await entry(e164)
          if (cached?.module === module && cached.id === id && (await kv.delete(phoneKey(e164)))) {
            evicted.push(e164)
          }
        }
        await kv.delete(indexKey(module, id))
        return evicted
      })
    },
    forgetNumber,
  }
}
