/**
 * @module consumers/call-tracker/reconciler
 * The call-log reconciler: every RECONCILE_INTERVAL_S (default 300 s), on one replica at a time,
 * one call-log sync (ISync with the token kept in kv; FSync on the first run or when the token
 * expired, from the last run minus a margin). Every session in it that is over and not completed
 * in the ledger is published on `calls.completed` with source `reconciler`: calls whose webhooks
 * were lost, or whose handler gave up, still reach the CRM.
 *
 * Heavy budget (9 requests/min for the whole app): one sync request per run, two when the token
 * expired (ISync refused, then FSync). A sync answer holds at most 250 records; an ISync with more
 * changes fails like an expired token, and the FSync then returns the newest 250 of the period (a
 * warning says so: run `callbridge backfill` for the rest).
 *
 * Sessions that ended less than `settleMs` ago (or are claimed by a live worker) are kept in the
 * kv state with their records and looked at again next run: the webhook path gets the first go,
 * and a record returned again later (its recording arrived) replaces the earlier copy.
 */

import type { CountryCode } from 'libphonenumber-js'
import { z } from 'zod'
import {
  CallLogRecord,
  type CallLogSyncResult,
  type RingCentralClient,
  SyncTokenExpiredError,
} from '../../integrations/ringcentral/index.ts'
import type { Bus } from '../../platform/bus/port.ts'
import type { Kv } from '../../platform/kv/port.ts'
import type { Logger } from '../../platform/log/logger.ts'
import { type PeriodicJob, startPeriodicJob } from '../../platform/runtime/periodic.ts'
import type { CompletionLedger } from './complete.ts'
import { addToGroups, completeSessions, type SessionGroups } from './complete-sessions.ts'

/** The reconciler's memory between runs. */
const ReconcilerState = z.object({
  syncToken: z.string().nullable(),
  /** When the last successful run started (ISO 8601). */
  lastRunAt: z.string().nullable(),
  /** Records of sessions to look at again. */
  deferred: z.array(CallLogRecord),
})
type ReconcilerState = z.infer<typeof ReconcilerState>

/** Most records one sync answer holds. */
export const maxSyncRecords = 250
/** Default interval between runs, seconds (RECONCILE_INTERVAL_S). */
export const defaultReconcileIntervalS = 300
/** Deferred records older than this are dropped (the backfill can still publish them). */
const deferredMaxAgeMs = 24 * 60 * 60 * 1000
const deferredMaxRecords = 2_000

export interface ReconcilerOptions {
  readonly rc: Pick<RingCentralClient, 'callLogSync'>
  readonly bus: Bus
  readonly kv: Kv
  readonly ledger: CompletionLedger
  readonly logger: Logger
  readonly region: CountryCode
  readonly now?: () => number
  /** FSync starts this long before the last run. Default 30 min. */
  readonly marginMs?: number
  /** Without a last run, FSync starts this long ago. Default 1 h. */
  readonly firstRunLookbackMs?: number
  /** Calls that ended less than this ago wait for the next run. Default 120 000 ms. */
  readonly settleMs?: number
  /** See `completeCall`. Default 120 000 ms. */
  readonly pendingGraceMs?: number
  /** Where the state lives. Default `call-tracker:reconciler`. */
  readonly stateKey?: string
}

/** What one run did. */
export interface ReconcileResult {
  readonly syncType: 'FSync' | 'ISync'
  /** Records the sync returned. */
  readonly records: number
  /** Sessions looked at (returned now or deferred before). */
  readonly calls: number
  readonly published: number
  readonly alreadyCompleted: number
  /** Sessions kept for the next run. */
  readonly deferred: number
  readonly invalid: number
}

const emptyState: ReconcilerState = { syncToken: null, lastRunAt: null, deferred: [] }

const loadState = async (kv: Kv, key: string, logger: Logger): Promise<ReconcilerState> => {
  const raw = await kv.get(key)
  if (raw === null) return emptyState
  try {
    const parsed = ReconcilerState.safeParse(JSON.parse(raw))
    if (parsed.success) return parsed.data
  } catch {
    // not JSON: same as a state that does not fit
  }
  logger.warn({ key }, 'unreadable reconciler state; starting over with a full sync')
  return emptyState
}

/**
 * One reconciliation run (the periodic job calls this under its lock).
 *
 * @example
 * ```ts
 * const result = await reconcileOnce({ rc, bus, kv, ledger, logger, region: 'US' })
 * // { syncType: 'ISync', records: 12, calls: 12, published: 1, alreadyCompleted: 11, deferred: 0, invalid: 0 }
 * ```
 */
export const reconcileOnce = async ({
  rc,
  bus,
  kv,
  ledger,
  logger,
  region,
  now = Date.now,
  marginMs = 30 * 60_000,
  firstRunLookbackMs = 60 * 60_000,
  settleMs = 120_000,
  pendingGraceMs,
  stateKey = 'call-tracker:reconciler',
}: ReconcilerOptions): Promise<ReconcileResult> => {
  const startedAt = now()
  const state = await loadState(kv, stateKey, logger)

  const fullSync = async (): Promise<CallLogSyncResult> => {
    const from =
      (state.lastRunAt ? Date.parse(state.lastRunAt) : startedAt - firstRunLookbackMs) - marginMs
    const result = await rc.callLogSync({
      syncType: 'FSync',
      dateFrom: new Date(from).toISOString(),
      recordCount: maxSyncRecords,
      view: 'Detailed',
    })
    if (result.records.length >= maxSyncRecords) {
      logger.warn(
        { dateFrom: new Date(from).toISOString() },
        'full call-log sync returned its maximum of 250 records: older calls may be missing; run callbridge backfill for the period',
      )
    }
    return result
  }
  const incrementalSync = async (token: string): Promise<CallLogSyncResult | undefined> => {
    try {
      return await rc.callLogSync({ syncType: 'ISync', syncToken: token, view: 'Detailed' })
    } catch (error) {
      if (!(error instanceof SyncTokenExpiredError)) throw error
      logger.warn({ err: error }, 'call-log sync token no longer valid; doing a full sync')
      return undefined
    }
  }
  const synced =
    (state.syncToken === null ? undefined : await incrementalSync(state.syncToken)) ??
    (await fullSync())

  const groups: SessionGroups = new Map()
  addToGroups(groups, state.deferred)
  const unmatched = addToGroups(groups, synced.records)
  if (unmatched > 0) logger.debug({ unmatched }, 'call-log records without telephonySessionId')
  const outcome = await completeSessions({
    groups,
    bus,
    ledger,
    source: 'reconciler',
    region,
    logger,
    settleMs,
    now,
    ...(pendingGraceMs === undefined ? {} : { pendingGraceMs }),
  })
  const tooOld = startedAt - deferredMaxAgeMs
  const deferred = outcome.waiting
    .flatMap((id) => [...(groups.get(id)?.values() ?? [])])
    .filter((record) => !(Date.parse(record.startTime) < tooOld))
    .slice(-deferredMaxRecords)
  const next: ReconcilerState = {
    syncToken: synced.syncInfo.syncToken,
    lastRunAt: new Date(startedAt).toISOString(),
    deferred,
  }
  // Saved only after every publication: a failed run repeats the same sync next time.
  await kv.set(stateKey, JSON.stringify(next))
  return {
    syncType: synced.syncInfo.syncType,
    records: synced.records.length,
    calls: groups.size,
    published: outcome.published,
    alreadyCompleted: outcome.alreadyCompleted,
    deferred: outcome.waiting.length,
    invalid: outcome.invalid,
  }
}

export interface StartReconcilerOptions extends ReconcilerOptions {
  /** Default {@link defaultReconcileIntervalS} seconds. */
  readonly intervalMs?: number
}

/**
 * Starts the periodic reconciler (first run at once, then every `intervalMs`, one replica at a
 * time through the kv lock `job:call-tracker-reconciler`).
 *
 * @example
 * ```ts
 * const job = startReconciler({ rc, bus, kv, ledger, logger, region, intervalMs: 300_000 })
 * await job.stop()
 * ```
 */
export const startReconciler = ({
  intervalMs = defaultReconcileIntervalS * 1000,
  ...options
}: StartReconcilerOptions): PeriodicJob =>
  startPeriodicJob({
    name: 'call-tracker-reconciler',
    kv: options.kv,
    intervalMs,
    logger: options.logger,
    run: async () => {
      const result = await reconcileOnce(options)
      const level = result.published > 0 ? 'info' : 'debug'
      options.logger[level]({ ...result }, 'call-log reconciled')
    },
  })
