/**
 * @module consumers/crm-sync/metrics
 * crm-sync's instruments: notifications by outcome, numbers evicted, people refreshed from Zoho,
 * and the phone directory's full syncs (outcome, size, when the last one completed). Registered
 * once per registry.
 */
import type { Registry } from 'prom-client'
import { counterOn, gaugeOn } from '../../platform/metrics/reuse.ts'

/** What the handler and the directory job report. */
export interface CrmSyncMetrics {
  notification(outcome: 'applied' | 'ignored'): void
  evicted(count: number): void
  /** People read back from Zoho after a notification and written to the directory. */
  refreshed(count: number): void
  /** A full sync ended; with its counts when it completed. */
  directorySync(
    outcome: 'complete' | 'failed',
    counts?: { numbers: number; completedAt: number },
  ): void
}

const counter = counterOn
const gauge = gaugeOn

/** The crm-sync instruments on `registry` (reused when already registered). */
export const crmSyncMetrics = (registry: Registry): CrmSyncMetrics => {
  const notifications = counter(
    registry,
    'callbridge_crm_sync_notifications_total',
    'Zoho notifications by outcome: applied (directory or cache updated) or ignored (nothing cached changed).',
    ['outcome'],
  )
  const evicted = counter(
    registry,
    'callbridge_crm_sync_evicted_numbers_total',
    'Phone-cache entries evicted because Zoho reported their record changed.',
  )
  const refreshed = counter(
    registry,
    'callbridge_crm_sync_refreshed_people_total',
    'Leads and contacts read back from Zoho after a notification and written to the phone directory.',
  )
  const syncs = counter(
    registry,
    'callbridge_crm_sync_directory_syncs_total',
    'Full syncs of the phone directory by outcome (complete, failed).',
    ['outcome'],
  )
  const numbers = gauge(
    registry,
    'callbridge_crm_sync_directory_numbers',
    'Numbers in the phone directory after the last full sync of this process.',
  )
  const completed = gauge(
    registry,
    'callbridge_crm_sync_directory_completed_seconds',
    'Unix time the last full sync of this process completed.',
  )
  return {
    notification: (outcome) => notifications.inc({ outcome }),
    evicted: (count) => evicted.inc(count),
    refreshed: (count) => refreshed.inc(count),
    directorySync: (outcome, counts) => {
      syncs.inc({ outcome })
      if (counts) {
        numbers.set(counts.numbers)
        completed.set(counts.completedAt / 1000)
      }
    },
  }
}
