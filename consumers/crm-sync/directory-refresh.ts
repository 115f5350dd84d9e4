/**
 * @module consumers/crm-sync/directory-refresh
 * Applies a notification's {@link DirectoryAction}: the changed leads or contacts are read by id
 * (Get Records: current, no search-index lag) BEFORE anything is evicted, so a failed read
 * changes nothing and the runtime retries. Then, per person, in this order:
 *
 * 1. the lead-matcher's "changed" mark (its searches in flight may have read the lagging index)
 *    and the directory's touched mark (a full sync that started earlier leaves the person alone);
 * 2. the current numbers written (bypassing the changed mark: they come from Get Records) and the
 *    numbers it no longer has evicted; a person Get Records no longer returns (deleted,
 *    converted) is forgotten like a delete;
 * 3. every evicted number marked unsure: the lead-matcher searches it instead of trusting a miss,
 *    since someone else may have it now.
 *
 * Everything is idempotent: a redelivered notification reads and writes the same again.
 */
import type { Crm } from '../../integrations/crm/port.ts'
import type { Kv } from '../../platform/kv/port.ts'
import type { PhoneCache } from '../lead-matcher/phone-cache.ts'
import { changedKey, defaultChangedTtlMs } from '../lead-matcher/phone-keys.ts'
import type { DirectoryAction } from './directory-changes.ts'
import { type DirectoryTimings, markUnsure, touch } from './directory-marks.ts'
import { numbersOf } from './directory-rank.ts'
import { putPerson } from './directory-store.ts'

/** What the refresh needs: Zoho reads, the kv, the cache's eviction. */
export interface DirectoryRefreshPorts {
  readonly crm: Pick<Crm, 'getPeople'>
  readonly kv: Kv
  readonly cache: Pick<PhoneCache, 'forgetPerson'>
  readonly timings: DirectoryTimings
  readonly now?: () => number
}

/** What a refresh did. */
export interface RefreshOutcome {
  /** People written with their current numbers. */
  readonly refreshed: number
  /** People forgotten (deleted, or no longer returned by Zoho). */
  readonly forgotten: number
  readonly written: number
  readonly evicted: number
}

/**
 * @example
 * ```ts
 * await applyDirectoryAction(ports, { kind: 'refresh', module: 'Leads', ids: ['48768'] })
 * ```
 */
export const applyDirectoryAction = async (
  ports: DirectoryRefreshPorts,
  action: Exclude<DirectoryAction, { kind: 'ignore' }>,
): Promise<RefreshOutcome> => {
  const { crm, kv, cache, timings, now = Date.now } = ports
  const { module, ids } = action
  const people = action.kind === 'refresh' ? await crm.getPeople(module, ids) : []
  const byId = new Map(people.map((person) => [person.id, person]))
  let refreshed = 0
  let written = 0
  let evicted = 0
  for (const id of ids) {
    const at = now()
    await touch(kv, module, id, at, timings.entryTtlMs)
    const person = byId.get(id)
    let gone: readonly string[]
    if (person) {
      await kv.set(changedKey(module, id), '1', defaultChangedTtlMs)
      const put = await putPerson(kv, person, numbersOf(person), {
        ttlMs: timings.entryTtlMs,
        force: false,
        evict: true,
      })
      refreshed += 1
      written += put.written.length
      gone = put.evicted
    } else {
      gone = await cache.forgetPerson(module, id)
    }
    await markUnsure(kv, gone, at, timings.entryTtlMs)
    evicted += gone.length
  }
  return { refreshed, forgotten: ids.length - refreshed, written, evicted }
}
