/**
 * @module consumers/call-tracker/backfill
 * Publishes the calls of a past period that never reached `calls.completed`: reads the company
 * call log of [from, to] page by page (Heavy group: one request per page, 1000 records per page by
 * default) and applies the same publishing rule as the handler and the reconciler (source
 * `backfill`): a call already completed in the ledger is skipped, so a backfill can be repeated.
 *
 * The call log comes newest first, and the legs of one transferred call can straddle a page
 * boundary. A session is therefore completed at a page boundary only when its earliest leg
 * started more than `holdbackMs` after the oldest record of the page (its missing legs, if any,
 * would be on this page); the others wait for the next page or the end.
 */
import type { CountryCode } from 'libphonenumber-js'
import type { RingCentralClient } from '../../integrations/ringcentral/index.ts'
import type { Bus } from '../../platform/bus/port.ts'
import type { Logger } from '../../platform/log/logger.ts'
import type { CompletionLedger } from './complete.ts'
import { addToGroups, completeSessions, type SessionGroups } from './complete-sessions.ts'

/** Progress after each page. `records` counts call-log records; the rest count calls (sessions). */
export interface BackfillProgress {
  readonly pages: number
  readonly records: number
  readonly published: number
  /** Already completed, still in progress, invalid, or without a telephonySessionId. */
  readonly skipped: number
  /** Calls read but not decided yet (held back across a page boundary). */
  readonly held: number
}

export interface BackfillOptions {
  readonly rc: Pick<RingCentralClient, 'callLog'>
  readonly bus: Bus
  readonly ledger: CompletionLedger
  readonly logger: Logger
  readonly region: CountryCode
  readonly from: Date
  readonly to: Date
  /** Records per page (1-1000). Default 1000: fewest Heavy requests. */
  readonly perPage?: number
  /** See the module doc. Default 1 h. */
  readonly holdbackMs?: number
  /** Calls that ended less than this ago are left to the live paths. Default 120 000 ms. */
  readonly settleMs?: number
  /** Called once after every page. */
  readonly onProgress?: (progress: BackfillProgress) => void
  readonly now?: () => number
}

const earliestStart = (group: ReadonlyMap<string, { startTime: string }>): number =>
  Math.min(...[...group.values()].map((r) => Date.parse(r.startTime)))

/**
 * Runs the backfill and resolves to the final progress.
 *
 * @example
 * ```ts
 * const done = await backfill({ rc, bus, ledger, logger, region: 'US',
 *   from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-11-02T00:00:00Z'),
 *   onProgress: (p) => print(`page ${p.pages}: ${p.records} records, ${p.published} published`) })
 * ```
 */
export const backfill = async ({
  rc,
  bus,
  ledger,
  logger,
  region,
  from,
  to,
  perPage = 1000,
  holdbackMs = 60 * 60_000,
  settleMs = 120_000,
  onProgress,
  now = Date.now,
}: BackfillOptions): Promise<BackfillProgress> => {
  if (!(from.getTime() < to.getTime())) throw new RangeError('backfill needs from < to')
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > 1000) {
    throw new RangeError(`perPage must be 1-1000, got ${perPage}`)
  }
  const groups: SessionGroups = new Map()
  let pages = 0
  let records = 0
  let inPage = 0
  let oldestInPage = Number.POSITIVE_INFINITY
  let published = 0
  let skipped = 0

  const progress = (): BackfillProgress => ({
    pages,
    records,
    published,
    skipped,
    held: groups.size,
  })
  const decide = async (ready: SessionGroups) => {
    if (ready.size === 0) return
    const outcome = await completeSessions({
      groups: ready,
      bus,
      ledger,
      source: 'backfill',
      region,
      logger,
      settleMs,
      now,
    })
    published += outcome.published
    skipped += ready.size - outcome.published
    for (const id of ready.keys()) groups.delete(id)
  }
  const endPage = async (last: boolean) => {
    pages++
    const ready: SessionGroups = new Map()
    for (const [id, group] of groups) {
      if (last || earliestStart(group) > oldestInPage + holdbackMs) ready.set(id, group)
    }
    await decide(ready)
    inPage = 0
    oldestInPage = Number.POSITIVE_INFINITY
    onProgress?.(progress())
  }

  const recordsOfPeriod = rc
    .callLog({ dateFrom: from.toISOString(), dateTo: to.toISOString(), perPage, view: 'Detailed' })
    [Symbol.asyncIterator]()
  // One record ahead, so the last page is known as such when it ends (one report per page).
  let next = await recordsOfPeriod.next()
  while (next.done !== true) {
    const record = next.value
    records++
    inPage++
    oldestInPage = Math.min(oldestInPage, Date.parse(record.startTime))
    skipped += addToGroups(groups, [record])
    next = await recordsOfPeriod.next()
    if (inPage === perPage || next.done === true) await endPage(next.done === true)
  }
  if (pages === 0) await endPage(true) // an empty period: one page, nothing in it
  logger.info({ ...progress(), from: from.toISOString(), to: to.toISOString() }, 'backfill done')
  return progress()
}
