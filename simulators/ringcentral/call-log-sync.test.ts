import { describe, expect, it } from 'vitest'
import { createRingCentralSimulator } from './app.ts'
import { simClient } from './testing.ts'
import type { CallSpec } from './types.ts'

const SYNC = '/restapi/v1.0/account/~/call-log-sync'
const call: CallSpec = {
  direction: 'Inbound',
  from: '+15550111',
  to: '+15550100',
  result: 'answered',
}

interface SyncAnswer {
  uri: string
  records: { id: string; result: string; recording?: unknown }[]
  syncInfo: { syncType: string; syncToken: string; syncTime: string }
}

const setup = async () => {
  const start = Date.parse('2026-03-02T10:00:00.000Z')
  const sim = createRingCentralSimulator({
    rateLimits: false,
    callLogDelayMs: 20_000,
    recordingDelayMs: 10_000,
    now: () => start,
  })
  const client = simClient(sim)
  const { access_token: token } = await client.login()
  const sync = async (query: string, path = SYNC) => {
    const res = await client.get(`${path}?${query}`, token)
    return { status: res.status, json: (await res.json()) as SyncAnswer & Record<string, unknown> }
  }
  return { sim, sync }
}

describe('GET /restapi/v1.0/account/~/call-log-sync', () => {
  it('requires recordCount (1–250) for FSync', async () => {
    const { sync } = await setup()
    for (const query of ['syncType=FSync', 'syncType=FSync&recordCount=251', 'recordCount=0']) {
      const { status, json } = await sync(query)
      expect(status).toBe(400)
      expect(json).toMatchObject({ errorCode: 'CMN-101', parameterName: 'recordCount' })
    }
  })

  it('FSync returns the newest recordCount records and a sync token', async () => {
    const { sim, sync } = await setup()
    for (let i = 0; i < 3; i++) {
      await sim.placeCall(call)
      sim.advance(1000)
    }
    sim.advance(20_000)
    const { status, json } = await sync('syncType=FSync&recordCount=2')
    expect(status).toBe(200)
    expect(json.records.map((r) => r.id)).toEqual(
      sim.state.calls
        .slice(1)
        .map((c) => c.callLogRecordIds[0])
        .reverse(),
    )
    expect(json.syncInfo).toMatchObject({
      syncType: 'FSync',
      syncTime: new Date(sim.now()).toISOString(),
    })
    expect(json.uri).toBe(
      'http://platform.rc.test/restapi/v1.0/account/1001/call-log-sync?syncType=FSync&recordCount=2',
    )
  })

  it('ISync returns only what appeared or changed since the token', async () => {
    const { sim, sync } = await setup()
    await sim.placeCall(call)
    sim.advance(20_000)
    const first = (await sync('syncType=FSync&recordCount=10')).json
    expect(first.records).toHaveLength(1)
    const recorded = await sim.placeCall({ ...call, recording: true })
    sim.advance(20_000)
    const second = (await sync(`syncType=ISync&syncToken=${first.syncInfo.syncToken}`)).json
    expect(second.syncInfo.syncType).toBe('ISync')
    expect(second.records.map((r) => r.id)).toEqual([recorded.callLogRecordIds[0]])
    expect(second.records[0]).not.toHaveProperty('recording')
    sim.advance(10_000)
    const third = (await sync(`syncType=ISync&syncToken=${second.syncInfo.syncToken}`)).json
    expect(third.records.map((r) => r.id)).toEqual([recorded.callLogRecordIds[0]])
    expect(third.records[0]).toHaveProperty('recording')
    const fourth = (await sync(`syncType=ISync&syncToken=${third.syncInfo.syncToken}`)).json
    expect(fourth.records).toHaveLength(0)
  })

  it('keeps the FSync frame: statusGroup=Missed returns missed calls and voicemails only', async () => {
    const { sim, sync } = await setup()
    const token = (await sync('syncType=FSync&recordCount=10&statusGroup=Missed')).json.syncInfo
      .syncToken
    await sim.placeCall(call)
    await sim.placeCall({ ...call, result: 'missed' })
    await sim.placeCall({ ...call, result: 'voicemail' })
    sim.advance(20_000)
    const { json } = await sync(`syncType=ISync&syncToken=${token}`)
    expect(json.records.map((r) => r.result).sort()).toEqual(['Missed', 'Voicemail'])
  })

  it('rejects an expired sync token with 400 CLG-101; FSync starts over', async () => {
    const { sim, sync } = await setup()
    const token = (await sync('syncType=FSync&recordCount=5')).json.syncInfo.syncToken
    sim.expireSyncTokens()
    const { status, json } = await sync(`syncType=ISync&syncToken=${token}`)
    expect(status).toBe(400)
    expect(json).toEqual({
      errorCode: 'CLG-101',
      message: 'Parameter [syncToken] is invalid [Sync token expired, call log was reset]',
      errors: [
        {
          errorCode: 'CLG-101',
          message: 'Parameter [syncToken] is invalid [Sync token expired, call log was reset]',
          parameterName: 'syncToken',
        },
      ],
      parameterName: 'syncToken',
    })
    expect((await sync('syncType=FSync&recordCount=5')).status).toBe(200)
  })

  it('refuses an ISync over more than 250 changes', async () => {
    const { sim, sync } = await setup()
    const token = (await sync('syncType=FSync&recordCount=1')).json.syncInfo.syncToken
    for (let i = 0; i < 251; i++) await sim.placeCall({ ...call, result: 'missed' })
    sim.advance(20_000)
    const { status, json } = await sync(`syncType=ISync&syncToken=${token}`)
    expect(status).toBe(400)
    expect(json).toMatchObject({
      message: 'Parameter [syncToken] is invalid [max sync record number limit is exceeded]',
      parameterName: 'syncToken',
    })
  })

  it('rejects a missing, malformed or foreign sync token', async () => {
    const { sync } = await setup()
    expect((await sync('syncType=ISync')).json).toMatchObject({
      errorCode: 'CMN-101',
      parameterName: 'syncToken',
    })
    expect((await sync('syncType=ISync&syncToken=garbage')).status).toBe(400)
    const accountToken = (await sync('syncType=FSync&recordCount=5')).json.syncInfo.syncToken
    const extension = await sync(
      `syncType=ISync&syncToken=${accountToken}`,
      '/restapi/v1.0/account/~/extension/~/call-log-sync',
    )
    expect(extension.status).toBe(400)
  })
})
