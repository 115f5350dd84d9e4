import { describe, expect, it } from 'vitest'
import { useMigratedPglite } from '../../test/pglite-ledger.ts'
import { type BackfillProgress, backfill } from './backfill.ts'
import {
  type CallTrackerFixture,
  callLogsVisible,
  inbound,
  openCallTrackerFixture,
} from './test-support.ts'

const db = useMigratedPglite()

const run = (f: CallTrackerFixture, options: Partial<Parameters<typeof backfill>[0]> = {}) => {
  const progress: BackfillProgress[] = []
  const done = backfill({
    rc: f.rc,
    bus: f.bus,
    ledger: f.ledger,
    logger: f.logger,
    region: 'US',
    from: new Date(Date.now() - 60 * 60_000),
    to: new Date(Date.now() + 60_000),
    settleMs: 0,
    onProgress: (p) => progress.push(p),
    ...options,
  })
  return { progress, done }
}

describe('backfill', () => {
  it('reports progress every page and publishes only the calls that are missing', async () => {
    const f = await openCallTrackerFixture({ db: db() })
    try {
      await f.startTracker()
      const seen = await f.sim.placeCall({ ...inbound, result: 'answered' })
      await f.until(() => f.completed.length === 1, 'the webhook path')
      const lost = [
        await f.sim.placeCall({ ...inbound, result: 'missed', durationS: 30, faults: { drop: 1 } }),
        await f.sim.placeCall({
          ...inbound,
          result: 'answered',
          durationS: 60,
          faults: { drop: 1 },
        }),
      ]
      await callLogsVisible(f, [seen, ...lost])
      await f.drained()

      const first = run(f, { perPage: 1, holdbackMs: 0 })
      expect(await first.done).toEqual({ pages: 3, records: 3, published: 2, skipped: 1, held: 0 })
      expect(first.progress.map((p) => p.records)).toEqual([1, 2, 3])
      expect(first.progress.at(-1)).toMatchObject({ published: 2, skipped: 1 })
      await f.drained()
      const bySource = f.completedCalls().map((c) => [c.telephonySessionId, c.source])
      expect(bySource).toHaveLength(3)
      expect(bySource).toEqual(
        expect.arrayContaining([
          [seen.telephonySessionId, 'webhook'],
          ...lost.map((c) => [c.telephonySessionId, 'backfill']),
        ]),
      )

      const again = run(f)
      expect(await again.done).toMatchObject({ pages: 1, records: 3, published: 0, skipped: 3 })
      await f.drained()
      expect(f.completed).toHaveLength(3)
    } finally {
      await f.close()
    }
  })

  it('publishes a transferred call once with every leg, even when its records straddle pages', async () => {
    const f = await openCallTrackerFixture({ db: db(), subscribe: false })
    try {
      const call = await f.sim.placeCall({ ...inbound, result: 'answered', transferTo: '2003' })
      await callLogsVisible(f, [call])
      const { done, progress } = run(f, { perPage: 1 })
      expect(await done).toMatchObject({ pages: 2, records: 2, published: 1, skipped: 0 })
      expect(progress[0]).toMatchObject({ published: 0, held: 1 })
      await f.drained()
      expect(f.completedCalls()).toEqual([
        expect.objectContaining({
          callLogIds: [...call.callLogRecordIds],
          extensionId: '2003',
          source: 'backfill',
        }),
      ])
    } finally {
      await f.close()
    }
  })

  it('refuses a period that ends before it starts', async () => {
    const f = await openCallTrackerFixture({ db: db(), subscribe: false })
    try {
      const { done } = run(f, { from: new Date('2026-11-02'), to: new Date('2026-11-01') })
      await expect(done).rejects.toThrow(RangeError)
    } finally {
      await f.close()
    }
  })
})
