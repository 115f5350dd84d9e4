/**
 * @module consumers/call-tracker/complete-sessions
 * The batch form of the publishing rule, for the paths that read the call log first (the
 * reconciler and the backfill): group records by telephonySessionId, ask the ledger once which
 * sessions are completed, and complete the rest whose call is over.
 */
import type { CountryCode } from 'libphonenumber-js'
import type { CallLogRecord } from '../../integrations/ringcentral/index.ts'
import type { Bus } from '../../platform/bus/port.ts'
import type { Logger } from '../../platform/log/logger.ts'
import { type CompletionSource, inProgress, lastEndMs } from './call-facts.ts'
import { type CompletionLedger, completeCall } from './complete.ts'

/** Records by telephonySessionId, each session's records by record id. */
export type SessionGroups = Map<string, Map<string, CallLogRecord>>

/**
 * Adds `records` to `groups` (a later copy of a record replaces an earlier one: the sync API
 * returns a record again when its recording arrives). Returns how many had no telephonySessionId.
 */
export const addToGroups = (groups: SessionGroups, records: Iterable<CallLogRecord>): number => {
  let unmatched = 0
  for (const record of records) {
    const id = record.telephonySessionId
    if (!id) {
      unmatched++
      continue
    }
    const group = groups.get(id) ?? new Map<string, CallLogRecord>()
    group.set(record.id, record)
    groups.set(id, group)
  }
  return unmatched
}

export interface CompleteSessionsOptions {
  readonly groups: SessionGroups
  readonly bus: Bus
  readonly ledger: CompletionLedger
  readonly source: CompletionSource
  readonly region: CountryCode
  readonly logger: Logger
  /** A call that ended less than this ago is left to the webhook path for now. */
  readonly settleMs: number
  readonly pendingGraceMs?: number
  readonly now?: () => number
}

/** What happened to the sessions of a batch. */
export interface SessionsOutcome {
  readonly published: number
  readonly alreadyCompleted: number
  readonly invalid: number
  /** Not over, ended too recently, or claimed by a live worker: look again later. */
  readonly waiting: readonly string[]
}

/**
 * Completes every session of `groups` that is over and not completed yet.
 *
 * @example
 * ```ts
 * const groups: SessionGroups = new Map()
 * addToGroups(groups, records)
 * const outcome = await completeSessions({ groups, bus, ledger, source: 'reconciler', region, logger, settleMs: 120_000 })
 * ```
 */
export const completeSessions = async ({
  groups,
  bus,
  ledger,
  source,
  region,
  logger,
  settleMs,
  pendingGraceMs,
  now = Date.now,
}: CompleteSessionsOptions): Promise<SessionsOutcome> => {
  const completed = await ledger.completedAmong([...groups.keys()])
  let published = 0
  let invalid = 0
  const waiting: string[] = []
  for (const [id, group] of groups) {
    if (completed.has(id)) continue
    const records = [...group.values()]
    if (records.some(inProgress) || !(lastEndMs(records) <= now() - settleMs)) {
      waiting.push(id)
      continue
    }
    const result = await completeCall({
      bus,
      ledger,
      telephonySessionId: id,
      records,
      source,
      region,
      now,
      ...(pendingGraceMs === undefined ? {} : { pendingGraceMs }),
    })
    if (result.outcome === 'published') {
      published++
      logger.info({ telephony_session_id: id, source }, 'call completed from the call log')
    } else if (result.outcome === 'busy') {
      waiting.push(id)
    } else if (result.outcome === 'invalid') {
      invalid++
      logger.warn({ telephony_session_id: id, error: result.error }, 'call-log records skipped')
    }
  }
  return {
    published,
    alreadyCompleted: groups.size - published - invalid - waiting.length,
    invalid,
    waiting,
  }
}
