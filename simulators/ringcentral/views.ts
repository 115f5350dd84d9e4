/**
 * @module simulators/ringcentral/views
 * Read-only snapshots of the simulator's state for tests and `/_sim`: copies, never the live
 * objects, and never a secret (no tokens, no verification tokens).
 */
import { sessionViews } from './sessions.ts'
import { iso, type SimCore } from './state.ts'
import { liveSubscriptions } from './subscriptions.ts'
import type { CallLogView, RingCentralSimulatorState, SimStats, SubscriptionView } from './types.ts'

/** Subscriptions with their delivery health. */
export const subscriptionViews = (core: SimCore): SubscriptionView[] =>
  liveSubscriptions(core).map((sub) => ({
    id: sub.id,
    ownerId: sub.ownerId,
    status: sub.status,
    address: sub.address,
    eventFilters: [...sub.eventFilters],
    creationTime: iso(sub.creationTime),
    expirationTime: iso(sub.expirationTime),
    ...(sub.blacklistedData === undefined ? {} : { blacklistedData: { ...sub.blacklistedData } }),
    delivered: sub.delivered,
    failures: {
      consecutive: sub.consecutiveFailures,
      total: sub.totalFailures,
      ...(sub.failingSince === undefined ? {} : { failingSince: iso(sub.failingSince) }),
      ...(sub.lastError === undefined ? {} : { lastError: sub.lastError }),
    },
  }))

/** Every call-log record, visible yet or not. */
export const callLogViews = (core: SimCore): CallLogView[] =>
  core.callLog.map((entry) => ({
    id: entry.id,
    telephonySessionId: entry.telephonySessionId,
    extensionId: entry.extensionId,
    result: entry.result,
    startTime: iso(entry.startMs),
    availableAt: iso(entry.availableAt),
    ...(entry.recording === undefined ? {} : { recordingId: entry.recording.id }),
  }))

/** The counters, copied. */
export const statsOf = (core: SimCore): SimStats => structuredClone(core.counters)

/** `sim.state`: getters returning fresh copies. */
export const stateViews = (core: SimCore): RingCentralSimulatorState => ({
  get calls() {
    return structuredClone(core.calls)
  },
  get subscriptions() {
    return subscriptionViews(core)
  },
  get deliveries() {
    return structuredClone(core.deliveries)
  },
  get sms() {
    return structuredClone(core.sms)
  },
  get sessions() {
    return sessionViews(core)
  },
  get callLog() {
    return callLogViews(core)
  },
})

/** The `/_sim/state` summary. */
export const summaryOf = (core: SimCore) => {
  const now = core.now()
  const sessions = sessionViews(core)
  return {
    now: iso(now),
    accountId: core.config.accountId,
    ownerId: core.config.ownerId,
    extensions: core.config.extensions.map((e) => ({ ...e })),
    urls: { ...core.urls },
    faults: { ...core.faults },
    sessions: { live: sessions.filter((s) => s.live).length, total: sessions.length },
    subscriptions: liveSubscriptions(core).length,
    calls: core.calls.length,
    callLog: {
      visible: core.callLog.filter((e) => e.availableAt <= now).length,
      pending: core.callLog.filter((e) => e.availableAt > now).length,
    },
    recordings: core.recordings.size,
    deliveries: core.deliveries.length,
    sms: core.sms.length,
    syncEpoch: core.syncEpoch,
  }
}
