import { describe, expect, it } from 'vitest'
import { useMigratedPglite } from '../../test/pglite-ledger.ts'
import { reconcileOnce, startReconciler } from './reconciler.ts'
import {
  type CallTrackerFixture,
  callLogsVisible,
  inbound,
  openCallTrackerFixture,
} from './test-support.ts'

const db = useMigratedPglite()

/** A call none of whose webhooks is delivered. */
const lostCall = (f: CallTrackerFixture) =>
  f.sim.placeCall({ ...inbound, result: 'answered', faults: { drop: 1 } })

const reconcile = (f: CallTrackerFixture, settleMs = 0) =>
  reconcileOnce({
    rc: f.rc,
    bus: f.bus,
    kv: f.kv,
    ledger: f.ledger,
    logger: f.logger,
    region: 'US',
    settleMs,
  })

describe('call-log reconciler', () => {
  it('publishes a call whose webhooks were all dropped, and not one that was already completed', async () => {
    const f = await openCallTrackerFixture({ db: db() })
    try {
      await f.startTracker()
      const seen = await f.sim.placeCall({ ...inbound, result: 'answered' })
      await f.until(() => f.completed.length === 1, 'the webhook path')
      const lost = await lostCall(f)
      await callLogsVisible(f, [lost])
      await f.drained()

      const first = await reconcile(f)
      expect(first).toMatchObject({ syncType: 'FSync', published: 1, alreadyCompleted: 1 })
      await f.drained()
      expect(f.completedCalls().map((c) => [c.telephonySessionId, c.source])).toEqual([
        [seen.telephonySessionId, 'webhook'],
        [lost.telephonySessionId, 'reconciler'],
      ])

      const second = await reconcile(f)
      expect(second).toMatchObject({ syncType: 'ISync', published: 0 })
      await f.drained()
      expect(f.completed).toHaveLength(2)
    } finally {
      await f.close()
    }
  })

  it('keeps a call that ended too recently for a later run, which publishes it', async () => {
    const f = await openCallTrackerFixture({ db: db(), subscribe: false })
    try {
      const lost = await lostCall(f)
      await callLogsVisible(f, [lost])
      expect(await reconcile(f, 60_000)).toMatchObject({ published: 0, deferred: 1 })
      expect(await reconcile(f, 0)).toMatchObject({ syncType: 'ISync', records: 0, published: 1 })
      await f.drained()
      expect(f.completedCalls()).toEqual([
        expect.objectContaining({
          telephonySessionId: lost.telephonySessionId,
          source: 'reconciler',
        }),
      ])
    } finally {
      await f.close()
    }
  })

  it('starts over with a full sync when the sync token expired', async () => {
    const f = await openCallTrackerFixture({ db: db(), subscribe: false })
    try {
      expect(await reconcile(f)).toMatchObject({ syncType: 'FSync', records: 0 })
      f.sim.expireSyncTokens()
      const lost = await lostCall(f)
      await callLogsVisible(f, [lost])
      expect(await reconcile(f)).toMatchObject({ syncType: 'FSync', published: 1 })
      expect(f.logged('call-log sync token no longer valid; doing a full sync')).toHaveLength(1)
    } finally {
      await f.close()
    }
  })

  it('runs as a periodic job, once at start', async () => {
    const f = await openCallTrackerFixture({ db: db(), subscribe: false })
    const lost = await lostCall(f)
    await callLogsVisible(f, [lost])
    const job = startReconciler({
      rc: f.rc,
      bus: f.bus,
      kv: f.kv,
      ledger: f.ledger,
      logger: f.logger,
      region: 'US',
      settleMs: 0,
      intervalMs: 60_000,
    })
    try {
      await f.until(() => f.completed.length === 1, 'the first run')
      expect(f.logged('call-log reconciled')).toEqual([
        expect.objectContaining({ published: 1, syncType: 'FSync' }),
      ])
    } finally {
      await job.stop()
      await f.close()
    }
  })
})
