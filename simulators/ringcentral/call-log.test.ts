import { describe, expect, it } from 'vitest'
import { createRingCentralSimulator } from './app.ts'
import { simClient } from './testing.ts'
import type { CallSpec, RingCentralSimulatorOptions } from './types.ts'

const CALL_LOG = '/restapi/v1.0/account/~/call-log'
const call: CallSpec = {
  direction: 'Inbound',
  from: '+15550111',
  to: '+15550100',
  result: 'answered',
}

interface Page {
  uri: string
  records: Record<string, unknown>[]
  navigation: {
    firstPage?: { uri: string }
    nextPage?: { uri: string }
    previousPage?: { uri: string }
  }
  paging: Record<string, number>
}

const setup = async (options: RingCentralSimulatorOptions = {}) => {
  const start = Date.parse('2026-03-02T10:00:00.000Z')
  const sim = createRingCentralSimulator({
    rateLimits: false,
    callLogDelayMs: 20_000,
    recordingDelayMs: 10_000,
    now: () => start,
    ...options,
  })
  const client = simClient(sim)
  const { access_token: token } = await client.login()
  const page = async (path: string) => {
    const res = await client.get(path, token)
    expect(res.status).toBe(200)
    return (await res.json()) as Page
  }
  return { sim, client, token, page }
}

/** The path and query of an absolute navigation link. */
const relative = (uri: string | undefined) => {
  const u = new URL(uri ?? 'http://missing')
  return `${u.pathname}${u.search}`
}

describe('GET /restapi/v1.0/account/~/call-log', () => {
  it('shows a call only callLogDelayMs after it ended', async () => {
    const { sim, page } = await setup()
    const placed = await sim.placeCall(call)
    expect((await page(CALL_LOG)).records).toHaveLength(0)
    sim.advance(19_999)
    expect((await page(CALL_LOG)).records).toHaveLength(0)
    sim.advance(1)
    const { records } = await page(CALL_LOG)
    expect(records).toHaveLength(1)
    expect(records[0]).toMatchObject({
      id: placed.callLogRecordIds[0],
      uri: `http://platform.rc.test/restapi/v1.0/account/1001/call-log/${placed.callLogRecordIds[0]}`,
      sessionId: placed.sessionId,
      telephonySessionId: placed.telephonySessionId,
      startTime: placed.startTime,
      duration: 101,
      durationMs: 101_000,
      type: 'Voice',
      direction: 'Inbound',
      action: 'Phone Call',
      result: 'Accepted',
      from: { phoneNumber: '+15550111' },
      to: {
        phoneNumber: '+15550100',
        extensionId: '2002',
        extensionNumber: '101',
        name: 'Morgan Reyes',
      },
      extension: {
        id: 2002,
        uri: 'http://platform.rc.test/restapi/v1.0/account/1001/extension/2002',
      },
    })
    expect(records[0]).not.toHaveProperty('legs')
  })

  it('pages newest first through navigation.nextPage, without totals', async () => {
    const { sim, page } = await setup({ callLogDelayMs: 0 })
    const placed = []
    for (let i = 0; i < 5; i++) {
      placed.push(await sim.placeCall(call))
      sim.advance(60_000)
    }
    const seen: string[] = []
    let next: string | undefined = `${CALL_LOG}?perPage=2`
    let pages = 0
    while (next) {
      const p = await page(next)
      pages++
      seen.push(...p.records.map((r) => String(r['id'])))
      expect(p.paging).not.toHaveProperty('totalElements')
      expect(p.navigation.firstPage?.uri).toBe(
        'http://platform.rc.test/restapi/v1.0/account/1001/call-log?perPage=2&page=1',
      )
      next = p.navigation.nextPage ? relative(p.navigation.nextPage.uri) : undefined
    }
    expect(pages).toBe(3)
    expect(seen).toEqual(placed.map((c) => c.callLogRecordIds[0]).reverse())
    const second = await page(`${CALL_LOG}?perPage=2&page=2`)
    expect(second.paging).toEqual({ page: 2, perPage: 2, pageStart: 2, pageEnd: 3 })
    expect(second.navigation.previousPage?.uri).toContain('page=1')
  })

  it('finds the records of one call by telephonySessionId, two for a transferred call', async () => {
    const { sim, page } = await setup({ callLogDelayMs: 0 })
    await sim.placeCall(call)
    const transferred = await sim.placeCall({ ...call, transferTo: '2003' })
    const { records } = await page(
      `${CALL_LOG}?telephonySessionId=${transferred.telephonySessionId}`,
    )
    expect(records.map((r) => [r['action'], (r['extension'] as { id: number }).id])).toEqual([
      ['Transfer', 2003],
      ['Phone Call', 2002],
    ])
  })

  it('adds legs and lastModifiedTime in the Detailed view', async () => {
    const { sim, page } = await setup({ callLogDelayMs: 0 })
    await sim.placeCall({ ...call, direction: 'Outbound', from: '+15550100', to: '+15550199' })
    const [record] = (await page(`${CALL_LOG}?view=Detailed`)).records
    expect(record).toMatchObject({
      action: 'VoIP Call',
      result: 'Call connected',
      lastModifiedTime: expect.any(String),
      legs: [{ legType: 'SipToPstnMetered', master: true, direction: 'Outbound' }],
    })
  })

  it('adds the recording, with a contentUri on the media host, only once it is available', async () => {
    const { sim, page } = await setup()
    sim.setMediaBaseUrl('http://media.rc.test/')
    const placed = await sim.placeCall({ ...call, recording: true })
    sim.advance(20_000)
    expect((await page(CALL_LOG)).records[0]).not.toHaveProperty('recording')
    expect((await page(`${CALL_LOG}?recordingType=All`)).records).toHaveLength(0)
    sim.advance(10_000)
    const [record] = (await page(`${CALL_LOG}?recordingType=All`)).records
    expect(record?.['recording']).toEqual({
      uri: `http://platform.rc.test/restapi/v1.0/account/1001/recording/${placed.recordingId}`,
      id: placed.recordingId,
      type: 'Automatic',
      contentUri: `http://media.rc.test/restapi/v1.0/account/1001/recording/${placed.recordingId}/content`,
    })
  })

  it('filters by date range, direction and extension, and reads one record by id', async () => {
    const { sim, client, token, page } = await setup({ callLogDelayMs: 0 })
    const mine = await sim.placeCall(call)
    await sim.placeCall({ ...call, extensionId: '2004', result: 'missed' })
    await sim.placeCall({ ...call, direction: 'Outbound', from: '+15550100', to: '+15550199' })
    expect((await page(`${CALL_LOG}?direction=Inbound`)).records).toHaveLength(2)
    expect(
      (await page('/restapi/v1.0/account/~/extension/~/call-log?direction=Inbound')).records,
    ).toHaveLength(1)
    expect(
      (await page('/restapi/v1.0/account/~/extension/2004/call-log')).records[0],
    ).toMatchObject({ result: 'Missed' })
    const future = new Date(sim.now() + 60_000).toISOString()
    expect((await page(`${CALL_LOG}?dateFrom=${future}`)).records).toHaveLength(0)
    const id = mine.callLogRecordIds[0] ?? ''
    const one = await client.get(`/restapi/v1.0/account/~/extension/~/call-log/${id}`, token)
    expect(await one.json()).toMatchObject({
      id,
      uri: `http://platform.rc.test/restapi/v1.0/account/1001/extension/2002/call-log/${id}`,
    })
    const missing = await client.get(`${CALL_LOG}/nope`, token)
    expect(missing.status).toBe(404)
    expect(await missing.json()).toMatchObject({
      errorCode: 'CMN-102',
      parameterName: 'callRecordId',
    })
  })

  it('rejects invalid parameters with 400 CMN-101 naming them', async () => {
    const { client, token } = await setup()
    for (const query of [
      'view=Full',
      'perPage=0',
      'page=x',
      'dateFrom=yesterday',
      'direction=Sideways',
    ]) {
      const res = await client.get(`${CALL_LOG}?${query}`, token)
      expect(res.status).toBe(400)
      expect(await res.json()).toMatchObject({
        errorCode: 'CMN-101',
        parameterName: query.split('=')[0],
      })
    }
  })
})
