/**
 * @module consumers/lead-matcher/directory-trust
 * Whether a number the cache and crm-sync's phone directory do not know may be trusted to be a
 * new caller (the lead is then created without searching Zoho). Only when all of:
 *
 * - the setting says `trust` (LEAD_MATCH_DIRECTORY);
 * - the "directory complete" marker is there and fresh: a full sync completed within its
 *   interval plus a grace, so every lead and contact of Zoho was written;
 * - crm-sync did not evict the number since that sync started without learning who has it now
 *   (a person changed or deleted: someone else may share the number).
 *
 * Otherwise the miss is searched in Zoho, as without a directory.
 */
import type { Kv } from '../../platform/kv/port.ts'
import { isFresh, readMarker, unsureSince } from '../crm-sync/directory-marks.ts'

/** LEAD_MATCH_DIRECTORY. */
export type DirectoryUse = 'trust' | 'search-on-miss' | 'off'

/** What to do about a miss. */
export interface MissVerdict {
  /** True: create the lead without a search. */
  readonly trust: boolean
  /** Why (logged): trusted, setting, no-directory, stale, unsure. */
  readonly reason: 'trusted' | 'setting' | 'no-directory' | 'stale' | 'unsure'
  /**
   * Lifetime of the entry of a lead created for the number, when the directory is kept: as long
   * as directory entries, so the lead stays known until a full sync has it.
   */
  readonly entryTtlMs?: number
}

/**
 * Creates the decision for misses.
 * @example
 * ```ts
 * const onMiss = createMissPolicy({ kv, use: 'trust' })
 * const { trust } = await onMiss('+14155550100')
 * ```
 */
export const createMissPolicy =
  ({ kv, use, now = Date.now }: { kv: Kv; use: DirectoryUse; now?: () => number }) =>
  async (e164: string): Promise<MissVerdict> => {
    if (use === 'off') return { trust: false, reason: 'setting' }
    const marker = await readMarker(kv)
    if (marker === null) return { trust: false, reason: 'no-directory' }
    const entry = { entryTtlMs: marker.entryTtlMs }
    if (!isFresh(marker, now())) return { trust: false, reason: 'stale', ...entry }
    if (use !== 'trust') return { trust: false, reason: 'setting', ...entry }
    const unsure = await unsureSince(kv, e164)
    if (unsure !== null && unsure >= marker.startedAt) {
      return { trust: false, reason: 'unsure', ...entry }
    }
    return { trust: true, reason: 'trusted', ...entry }
  }

/** The decision's type, for ports. */
export type MissPolicy = ReturnType<typeof createMissPolicy>
