/**
 * @module consumers/crm-sync/directory-job
 * When the full sync runs: on start when the "directory complete" marker is missing, then
 * whenever the last completed sync is `intervalMs` old. Every replica of crm-sync checks once a
 * minute (a periodic job); the sync itself runs under the kv lock `crm-sync:directory:lock`,
 * renewed while it runs, so one replica at a time syncs (the CLI's `directory sync` takes the same
 * lock). A failed sync is retried after `retryMs` (it starts over).
 */
import type { Kv } from '../../platform/kv/port.ts'
import type { Logger } from '../../platform/log/logger.ts'
import { type PeriodicJob, startPeriodicJob } from '../../platform/runtime/periodic.ts'
import { LockBusyError, withLock } from '../lead-matcher/kv-lock.ts'
import { readMarker } from './directory-marks.ts'
import {
  type DirectorySyncOptions,
  type DirectorySyncResult,
  syncDirectory,
} from './directory-sync.ts'
import type { CrmSyncMetrics } from './metrics.ts'

/** Default DIRECTORY_SYNC_INTERVAL_S: every 6 hours. */
export const defaultDirectorySyncIntervalS = 6 * 60 * 60

const lockKey = 'crm-sync:directory:lock'

/**
 * Runs one full sync unless another replica (or the CLI) is running one.
 * @returns the result, or null when the lock was taken.
 */
export const syncDirectoryOnce = async (
  options: DirectorySyncOptions,
): Promise<DirectorySyncResult | null> => {
  try {
    return await withLock(options.kv, lockKey, { ttlMs: 60_000, waitMs: 0 }, () =>
      syncDirectory(options),
    )
  } catch (error) {
    if (error instanceof LockBusyError) return null
    throw error
  }
}

/** True when no sync completed yet, or the last one is `intervalMs` old. */
export const syncDue = async (kv: Kv, intervalMs: number, now: number): Promise<boolean> => {
  const marker = await readMarker(kv)
  return marker === null || marker.completedAt + intervalMs <= now
}

export interface DirectoryJobOptions extends DirectorySyncOptions {
  readonly logger: Logger
  readonly metrics?: CrmSyncMetrics
  /** How often to check whether a sync is due. Default 60 s. */
  readonly checkMs?: number
  /** Delay before a failed sync is tried again. Default 5 min. */
  readonly retryMs?: number
}

/**
 * Starts the scheduled full sync.
 * @example
 * ```ts
 * const job = startDirectoryJob({ crm, kv, timings, logger })
 * await job.stop()
 * ```
 */
export const startDirectoryJob = (options: DirectoryJobOptions): PeriodicJob => {
  const { kv, logger, timings, now = Date.now } = options
  // A running sync is interrupted on stop (at its next page or write), not waited for.
  const stopping = new AbortController()
  const job = startPeriodicJob({
    name: 'crm-sync-directory',
    kv,
    intervalMs: options.checkMs ?? 60_000,
    retryMs: options.retryMs ?? 5 * 60_000,
    logger,
    run: async () => {
      if (!(await syncDue(kv, timings.intervalMs, now()))) return
      logger.info('phone directory: full sync starting')
      const result = await syncDirectoryOnce({
        ...options,
        signal: stopping.signal,
        onProgress: (progress) => {
          options.onProgress?.(progress)
          const quiet = progress.phase === 'reading' && progress.pages % 10 !== 1
          const level = quiet ? 'debug' : 'info'
          logger[level]({ ...progress }, `phone directory: ${progress.phase}`)
        },
      }).catch((error: unknown) => {
        if (stopping.signal.aborted) {
          logger.info('phone directory: full sync interrupted by shutdown')
          return null
        }
        options.metrics?.directorySync('failed')
        throw error
      })
      if (!result) {
        if (!stopping.signal.aborted) logger.debug('phone directory: another replica is syncing')
        return
      }
      options.metrics?.directorySync('complete', result)
      const { startedAt, completedAt, ...counts } = result
      logger.info(
        { ...counts, duration_ms: completedAt - startedAt },
        'phone directory: full sync complete',
      )
    },
  })
  return {
    runNow: () => job.runNow(),
    stop: async () => {
      stopping.abort()
      await job.stop()
    },
  }
}
