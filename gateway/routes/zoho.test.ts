import { afterEach, describe, expect, it } from 'vitest'
import { zohoNotification } from '../../schemas/fixtures/zoho.ts'
import { zohoChannelTokenKey } from '../channel-token.ts'
import { startGatewayHarness, ZOHO_TOKEN, zohoRequest } from '../testing/harness.ts'
import { createRecordingBus } from '../testing/recording-bus.ts'

const URL_ZOHO = 'http://gw.test/webhooks/zoho'
let stops: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const stop of stops) await stop()
  stops = []
})

const start = async (env: Record<string, string> = {}) => {
  const recording = createRecordingBus()
  const gw = await startGatewayHarness({ bus: recording.bus, env })
  stops.push(gw.stop)
  return { ...gw, recording }
}

describe('POST /webhooks/zoho', () => {
  it('publishes a callback carrying the configured token to zoho.webhooks, keyed by module and record id', async () => {
    const { app, recording } = await start()
    const callback = zohoNotification({
      token: ZOHO_TOKEN,
      module: 'Leads',
      operation: 'insert',
      ids: ['42'],
    })
    const res = await app.request(URL_ZOHO, zohoRequest(callback))
    expect(res.status).toBe(200)
    const [message] = recording.on('zoho.webhooks')
    expect(message?.key).toBe('Leads:42')
    expect(message?.headers['ce_type']).toBe('com.zoho.crm.Leads.insert')
    expect(message?.headers['ce_id']).toBe(
      `zoho:${callback.channel_id}:insert:42:${callback.server_time}`,
    )
    expect(JSON.parse(message?.value ?? '{}').payload).toEqual(callback)
  })

  it('accepts the token the keeper registered for the channel', async () => {
    const { app, kv, recording } = await start()
    await kv.set(zohoChannelTokenKey('777'), 'channel-specific-token')
    const res = await app.request(
      URL_ZOHO,
      zohoRequest(zohoNotification({ channel_id: '777', token: 'channel-specific-token' })),
    )
    expect(res.status).toBe(200)
    expect(recording.published).toHaveLength(1)
  })

  it('answers 401 and publishes nothing for a wrong or missing token', async () => {
    const { app, recording } = await start()
    expect(
      (await app.request(URL_ZOHO, zohoRequest(zohoNotification({ token: 'nope' })))).status,
    ).toBe(401)
    expect(
      (await app.request(URL_ZOHO, zohoRequest(zohoNotification({ token: undefined })))).status,
    ).toBe(401)
    expect(recording.published).toHaveLength(0)
  })

  it('requires the query secret when one is configured', async () => {
    const { app, recording } = await start({ ZOHO_WEBHOOK_QUERY_SECRET: 'query-secret-0123456789' })
    const callback = zohoNotification({ token: ZOHO_TOKEN })
    expect((await app.request(URL_ZOHO, zohoRequest(callback))).status).toBe(401)
    expect((await app.request(`${URL_ZOHO}?secret=wrong`, zohoRequest(callback))).status).toBe(401)
    expect(
      (await app.request(`${URL_ZOHO}?secret=query-secret-0123456789`, zohoRequest(callback)))
        .status,
    ).toBe(200)
    expect(recording.published).toHaveLength(1)
  })

  it('drops a redelivered callback (same channel, operation, ids in any order and server time)', async () => {
    const { app, recording } = await start()
    const first = zohoNotification({ token: ZOHO_TOKEN, ids: ['1', '2'] })
    const again = { ...first, ids: ['2', '1'] }
    expect((await app.request(URL_ZOHO, zohoRequest(first))).status).toBe(200)
    const dup = await app.request(URL_ZOHO, zohoRequest(again))
    expect(dup.status).toBe(200)
    expect(((await dup.json()) as Record<string, string>)['status']).toBe('duplicate')
    expect(recording.published).toHaveLength(1)
  })

  it('parks an authentic callback that fails its schema on zoho.webhooks.invalid', async () => {
    const { app, recording } = await start()
    const res = await app.request(
      URL_ZOHO,
      zohoRequest({ ...zohoNotification({ token: ZOHO_TOKEN }), ids: [] }),
    )
    expect(res.status).toBe(200)
    const [parked] = recording.on('zoho.webhooks.invalid')
    expect(JSON.parse(parked?.value ?? '{}').error).toContain('ids')
  })

  it('rejects malformed JSON and non-JSON content types without publishing', async () => {
    const { app, recording } = await start()
    expect((await app.request(URL_ZOHO, zohoRequest('{oops'))).status).toBe(400)
    expect(
      (await app.request(URL_ZOHO, zohoRequest(zohoNotification(), { 'content-type': 'text/xml' })))
        .status,
    ).toBe(415)
    expect(recording.published).toHaveLength(0)
  })
})
