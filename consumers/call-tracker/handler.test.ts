import { describe, expect, it } from 'vitest'
import { useMigratedPglite } from '../../test/pglite-ledger.ts'
import { inbound, openCallTrackerFixture } from './test-support.ts'

const db = useMigratedPglite()

describe('call-tracker handler', () => {
  it('publishes exactly one calls.completed with the call-log facts when events arrive duplicated and reordered', async () => {
    const f = await openCallTrackerFixture({ db: db() })
    try {
      await f.startTracker()
      const call = await f.sim.placeCall({
        ...inbound,
        result: 'answered',
        recording: true,
        callerName: 'Pat Caller',
        faults: { duplicate: 1, reorder: true },
      })
      await f.until(() => f.completed.length > 0, 'calls.completed')
      await f.drained()

      const delivered = f.sim.state.deliveries.filter((d) => d.kind === 'telephony-session')
      expect(delivered.filter((d) => d.duplicate).length).toBe(call.events.length)
      const order = delivered.map((d) => d.sequence ?? 0)
      expect(order).not.toEqual([...order].sort((a, b) => a - b))

      expect(f.completed).toHaveLength(1)
      const [message] = f.completed
      expect(message?.key).toBe(call.telephonySessionId)
      expect(message?.headers).toMatchObject({
        ce_id: `call:${call.telephonySessionId}`,
        ce_source: '/callbridge/call-tracker',
        ce_type: 'callbridge.call.completed',
      })
      expect(f.completedCalls()[0]).toEqual({
        telephonySessionId: call.telephonySessionId,
        direction: 'Inbound',
        result: 'answered',
        external: { phoneNumber: '+15550111', name: 'Pat Caller' },
        internal: { phoneNumber: '+15550100', name: 'Morgan Reyes' },
        extensionId: '2002',
        startTime: call.startTime,
        durationS: 101,
        voicemail: false,
        recording: {
          id: call.recordingId,
          contentUri: expect.stringContaining(`/recording/${call.recordingId}/content`),
        },
        callLogIds: [...call.callLogRecordIds],
        source: 'webhook',
      })
      const row = await f.ledger.call(call.telephonySessionId)
      expect(row?.completedAt).toBeInstanceOf(Date)
      expect(await f.ledger.completedAmong([call.telephonySessionId])).toEqual(
        new Set([call.telephonySessionId]),
      )
    } finally {
      await f.close()
    }
  })

  it('retries while the call log is not there yet, then publishes', async () => {
    const f = await openCallTrackerFixture({ db: db(), callLogDelayMs: 800 })
    try {
      // Retries 150 ms apart: several fail before the call log appears, none is parked.
      await f.startTracker({ backoff: { baseMs: 300, maxMs: 300 } })
      const call = await f.sim.placeCall({ ...inbound, result: 'answered' })
      await f.until(() => f.completed.length > 0, 'calls.completed')
      await f.drained()

      const retries = f.logged('handler failed; retry scheduled')
      expect(retries.length).toBeGreaterThan(0)
      expect(retries).toContainEqual(
        expect.objectContaining({ err: expect.objectContaining({ type: 'CallLogNotReadyError' }) }),
      )
      expect(f.completedCalls()).toEqual([
        expect.objectContaining({
          telephonySessionId: call.telephonySessionId,
          result: 'answered',
        }),
      ])
    } finally {
      await f.close()
    }
  })

  it('spends no call-log request on the first attempt right after the call ended', async () => {
    const f = await openCallTrackerFixture({ db: db(), callLogDelayMs: 0 })
    try {
      await f.startTracker({ callLogDelayMs: 60_000 })
      await f.sim.placeCall({ ...inbound, result: 'missed' })
      await f.until(() => f.completed.length > 0, 'calls.completed')
      await f.drained()
      expect(f.sim.stats().requests.Heavy).toBe(1)
      expect(f.logged('handler failed; retry scheduled')).toHaveLength(1)
    } finally {
      await f.close()
    }
  })

  it('reports a missed call and a voicemail, ignoring the voicemail notification itself', async () => {
    const f = await openCallTrackerFixture({ db: db() })
    try {
      await f.startTracker()
      const missed = await f.sim.placeCall({ ...inbound, result: 'missed' })
      const voicemail = await f.sim.placeCall({ ...inbound, result: 'voicemail' })
      await f.until(() => f.completed.length >= 2, 'two calls.completed')
      await f.drained()

      const byId = new Map(f.completedCalls().map((c) => [c.telephonySessionId, c]))
      expect(byId.size).toBe(2)
      expect(byId.get(missed.telephonySessionId)).toMatchObject({
        result: 'missed',
        voicemail: false,
        recording: null,
        external: { phoneNumber: '+15550111' },
      })
      expect(byId.get(voicemail.telephonySessionId)).toMatchObject({
        result: 'voicemail',
        voicemail: true,
      })
      const ignored = f.logged('not a telephony-session event; ignored')
      expect(ignored.map((line) => line['kind'])).toContain('voicemail')
    } finally {
      await f.close()
    }
  })

  it('publishes a blind-transferred call once, with both legs and the target as the extension', async () => {
    const f = await openCallTrackerFixture({ db: db() })
    try {
      await f.startTracker()
      const call = await f.sim.placeCall({
        ...inbound,
        result: 'answered',
        transferTo: '2003',
        faults: { reorder: true },
      })
      await f.until(() => f.completed.length > 0, 'calls.completed')
      await f.drained()

      expect(f.completedCalls()).toEqual([
        expect.objectContaining({
          telephonySessionId: call.telephonySessionId,
          extensionId: '2003',
          callLogIds: [...call.callLogRecordIds],
        }),
      ])
    } finally {
      await f.close()
    }
  })
})
