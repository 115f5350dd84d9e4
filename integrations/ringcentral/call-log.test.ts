import { afterEach, describe, expect, it } from 'vitest'
import { createMemoryKv } from '../../platform/kv/memory.ts'
import { waitFor } from '../../test/wait-for.ts'
import { SyncTokenExpiredError } from './errors.ts'
import type { CallLogRecord } from './schemas.ts'
import { closeAll, replica, startSim } from './test-support.ts'

afterEach(closeAll)

// These tests are about the call-log API, not the budgets: polling needs more than 9 Heavy a minute.
const generous = { budgets: { Heavy: 10_000 } }

const inbound = (from: string) =>
  ({ direction: 'Inbound', from, to: '+15550100', result: 'answered', durationS: 30 }) as const

describe('call log by telephony session', () => {
  it('finds the record once it appears, 15–30 s after the call in real life', async () => {
    const rc = await startSim({ rateLimits: false, callLogDelayMs: 300 })
    const client = replica(rc, createMemoryKv(), generous)
    const call = await rc.sim.placeCall(inbound('+15550111'))

    expect(await client.callLogByTelephonySession(call.telephonySessionId)).toEqual([])
    const records = await waitFor(
      async () => {
        const found = await client.callLogByTelephonySession(call.telephonySessionId)
        return found.length > 0 ? found : null
      },
      { intervalMs: 100, what: 'the call-log record' },
    )

    expect(records).toHaveLength(1)
    expect(records[0]).toMatchObject({
      telephonySessionId: call.telephonySessionId,
      sessionId: call.sessionId,
      direction: 'Inbound',
      from: { phoneNumber: '+15550111' },
    })
  })

  it('returns every leg in the Detailed view and keeps fields it does not know', async () => {
    const rc = await startSim({ rateLimits: false, callLogDelayMs: 0 })
    const client = replica(rc, createMemoryKv(), generous)
    const call = await rc.sim.placeCall(inbound('+15550112'))

    const [record] = await client.callLogByTelephonySession(call.telephonySessionId, {
      view: 'Detailed',
    })

    expect(record?.legs?.length).toBeGreaterThan(0)
    expect(record).toHaveProperty('billing') // not in our schema, kept by the loose object
    expect(typeof record?.extension?.id).toBe('string') // numeric id normalised to a string
  })
})

describe('call log by period', () => {
  it('follows navigation.nextPage until the last page, one Heavy request per page', async () => {
    const rc = await startSim({ rateLimits: false, callLogDelayMs: 0 })
    const client = replica(rc, createMemoryKv(), generous)
    const placed = []
    for (let i = 0; i < 5; i++) placed.push(await rc.sim.placeCall(inbound(`+1555012${i}`)))
    const before = rc.sim.stats().requests.Heavy

    const seen: CallLogRecord[] = []
    for await (const record of client.callLog({
      dateFrom: new Date(rc.sim.now() - 3_600_000).toISOString(),
      dateTo: new Date(rc.sim.now() + 60_000).toISOString(),
      perPage: 2,
    })) {
      seen.push(record)
    }

    expect(new Set(seen.map((r) => r.telephonySessionId))).toEqual(
      new Set(placed.map((c) => c.telephonySessionId)),
    )
    expect(rc.sim.stats().requests.Heavy - before).toBe(3)
  })
})

describe('call-log sync', () => {
  it('does an FSync, then ISyncs only what changed, and reports an expired token', async () => {
    const rc = await startSim({ rateLimits: false, callLogDelayMs: 0 })
    const client = replica(rc, createMemoryKv(), generous)
    const first = await rc.sim.placeCall(inbound('+15550131'))

    const full = await client.callLogSync({ syncType: 'FSync', recordCount: 250 })
    expect(full.records.map((r) => r.telephonySessionId)).toEqual([first.telephonySessionId])
    expect(full.syncInfo.syncType).toBe('FSync')

    rc.sim.advance(1_000)
    const second = await rc.sim.placeCall(inbound('+15550132'))
    const incremental = await client.callLogSync({
      syncType: 'ISync',
      syncToken: full.syncInfo.syncToken,
    })
    expect(incremental.records.map((r) => r.telephonySessionId)).toEqual([
      second.telephonySessionId,
    ])

    rc.sim.expireSyncTokens()
    await expect(
      client.callLogSync({ syncType: 'ISync', syncToken: incremental.syncInfo.syncToken }),
    ).rejects.toBeInstanceOf(SyncTokenExpiredError)
    const again = await client.callLogSync({ syncType: 'FSync', recordCount: 250 })
    expect(again.records).toHaveLength(2)
  })
})
