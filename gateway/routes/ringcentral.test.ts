import { afterEach, describe, expect, it } from 'vitest'
import { createMemoryKv } from '../../platform/kv/memory.ts'
import type { Kv } from '../../platform/kv/port.ts'
import {
  genericNotification,
  telephonySessionNotification,
} from '../../schemas/fixtures/ringcentral.ts'
import { waitFor } from '../../test/wait-for.ts'
import { RC_PREVIOUS_TOKEN, rcRequest, startGatewayHarness } from '../testing/harness.ts'
import { createRecordingBus } from '../testing/recording-bus.ts'

const URL_RC = 'http://gw.test/webhooks/ringcentral'
let stops: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const stop of stops) await stop()
  stops = []
})

const start = async (options: Partial<Parameters<typeof startGatewayHarness>[0]> = {}) => {
  const recording = createRecordingBus()
  const gw = await startGatewayHarness({ bus: recording.bus, ...options })
  stops.push(gw.stop)
  return { ...gw, recording }
}

const brokenKv = (): Kv => {
  const kv = createMemoryKv()
  const fail = () => Promise.reject(new Error('ECONNREFUSED redis'))
  return {
    ...kv,
    setIfAbsent: fail,
    setManyIfAbsent: fail,
    get: fail,
    set: fail,
    setMany: fail,
    increment: fail,
    ttl: fail,
    delete: fail,
  }
}

describe('POST /webhooks/ringcentral: validation handshake', () => {
  it('echoes Validation-Token with 200 in a response under 1024 bytes', async () => {
    const { app, recording } = await start()
    const res = await app.request(URL_RC, {
      method: 'POST',
      headers: { 'validation-token': 'vt-abc-123', 'verification-token': 'whatever' },
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('validation-token')).toBe('vt-abc-123')
    const body = await res.text()
    const headerBytes = [...res.headers].reduce((n, [k, v]) => n + k.length + v.length + 4, 0)
    expect(headerBytes + body.length + 'HTTP/1.1 200 OK\r\n\r\n'.length).toBeLessThan(1024)
    expect(recording.published).toHaveLength(0)
  })

  it('answers the handshake while Kafka and Redis are down', async () => {
    const { app, recording } = await start({ kv: brokenKv() })
    recording.setMode('down')
    const res = await app.request(URL_RC, {
      method: 'POST',
      headers: { 'validation-token': 'vt-1' },
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('validation-token')).toBe('vt-1')
  })
})

describe('POST /webhooks/ringcentral: authenticity', () => {
  it('publishes an event carrying the current token, keyed by telephonySessionId, with CloudEvents and trace headers', async () => {
    const { app, recording } = await start()
    const event = telephonySessionNotification({
      telephonySessionId: 's-abc',
      sequence: 3,
      status: 'Answered',
    })
    const res = await app.request(URL_RC, rcRequest(event))
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'accepted', id: `rc:${event.uuid}` })
    const [message] = recording.on('ringcentral.webhooks')
    expect(message?.key).toBe('s-abc')
    expect(message?.headers).toMatchObject({
      ce_specversion: '1.0',
      ce_id: `rc:${event.uuid}`,
      ce_type: 'com.ringcentral.telephony-session',
      ce_source: `/ringcentral/subscription/${event.subscriptionId}`,
    })
    expect(Date.parse(message?.headers['ce_time'] ?? '')).not.toBeNaN()
    const value = JSON.parse(message?.value ?? '{}')
    expect(value).toMatchObject({
      provider: 'ringcentral',
      kind: 'telephony-session',
      dedupKey: `rc:${event.uuid}`,
    })
    expect(value.payload).toEqual(event)
    expect(Date.parse(value.receivedAt)).not.toBeNaN()
  })

  it('accepts the previous token while tokens are rotated', async () => {
    const { app, recording } = await start()
    const res = await app.request(
      URL_RC,
      rcRequest(genericNotification({ uuid: 'u-rotated' }), {
        'verification-token': RC_PREVIOUS_TOKEN,
      }),
    )
    expect(res.status).toBe(200)
    expect(recording.published).toHaveLength(1)
  })

  it('answers 401 and publishes nothing for a wrong or missing token', async () => {
    const { app, recording } = await start()
    const event = genericNotification({ uuid: 'u-forged' })
    const wrong = await app.request(URL_RC, rcRequest(event, { 'verification-token': 'forged' }))
    const missing = await app.request(URL_RC, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(event),
    })
    expect(wrong.status).toBe(401)
    expect(missing.status).toBe(401)
    expect(await wrong.json()).toEqual({
      error: 'unauthorized',
      message: 'webhook rejected: wrong token',
    })
    expect(recording.published).toHaveLength(0)
  })

  it('throttles an address after repeated failures, even with a right token', async () => {
    const { app } = await start({ env: { AUTH_FAILURE_LIMIT: '3', TRUST_PROXY: 'true' } })
    const from = { 'x-forwarded-for': '203.0.113.9' }
    for (let i = 0; i < 3; i++) {
      const res = await app.request(
        URL_RC,
        rcRequest(genericNotification(), { ...from, 'verification-token': 'bad' }),
      )
      expect(res.status).toBe(401)
    }
    const blocked = await app.request(URL_RC, rcRequest(genericNotification(), from))
    expect(blocked.status).toBe(429)
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0)
    const other = await app.request(
      URL_RC,
      rcRequest(genericNotification({ uuid: 'u-other' }), { 'x-forwarded-for': '198.51.100.1' }),
    )
    expect(other.status).toBe(200)
  })
})

describe('POST /webhooks/ringcentral: bad input is rejected and never published', () => {
  it('answers 413 to a body over the limit, by Content-Length and by streaming', async () => {
    const { app, recording } = await start({ env: { WEBHOOK_MAX_BODY_BYTES: '1024' } })
    const big = JSON.stringify(genericNotification({ extra: { pad: 'x'.repeat(2000) } }))
    const declared = await app.request(URL_RC, rcRequest(big))
    expect(declared.status).toBe(413)
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big))
        controller.close()
      },
    })
    const streamed = await app.request(URL_RC, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'verification-token': 'rc-verification-token-current',
      },
      body: stream,
      duplex: 'half',
    } as RequestInit)
    expect(streamed.status).toBe(413)
    expect(recording.published).toHaveLength(0)
  })

  it('answers 415 to a non-JSON content type', async () => {
    const { app, recording } = await start()
    const res = await app.request(
      URL_RC,
      rcRequest(genericNotification(), { 'content-type': 'text/plain' }),
    )
    expect(res.status).toBe(415)
    expect(((await res.json()) as Record<string, string>)['message']).toContain(
      'expected application/json',
    )
    expect(recording.published).toHaveLength(0)
  })

  it('answers 400 with a clear message to malformed JSON', async () => {
    const { app, recording } = await start()
    const res = await app.request(URL_RC, rcRequest('{"uuid": "x", '))
    expect(res.status).toBe(400)
    expect(((await res.json()) as Record<string, string>)['message']).toMatch(
      /^body is not valid JSON: /,
    )
    expect(recording.published).toHaveLength(0)
  })
})

describe('POST /webhooks/ringcentral: payloads', () => {
  it('keeps unknown fields, at every level, intact on the way to Kafka', async () => {
    const { app, recording } = await start()
    const event = telephonySessionNotification({
      extra: { newTopLevelField: { nested: [1, 2] } },
      bodyExtra: { brandNewBodyField: 'kept' },
    })
    expect((await app.request(URL_RC, rcRequest(event))).status).toBe(200)
    const payload = JSON.parse(recording.published[0]?.value ?? '{}').payload
    expect(payload.newTopLevelField).toEqual({ nested: [1, 2] })
    expect(payload.body.brandNewBodyField).toBe('kept')
    expect(JSON.stringify(payload)).toBe(JSON.stringify(event))
  })

  it('publishes the body byte for byte: number literals beyond 2^53 and key order survive', async () => {
    const { app, recording } = await start()
    const json = JSON.stringify(telephonySessionNotification({ uuid: 'u-exact' }))
    const body = `${json.slice(0, -1)},"bigId":12345678901234567890,"price":1.50}`
    expect((await app.request(URL_RC, rcRequest(body))).status).toBe(200)
    const value = recording.published[0]?.value ?? ''
    expect(value.endsWith(`"payload":${body}}`)).toBe(true)
    expect(JSON.parse(value).dedupKey).toBe('rc:u-exact')
  })

  it('parks an authentic event that fails its schema on ringcentral.webhooks.invalid with the error, answering 200', async () => {
    const { app, recording } = await start()
    const event = telephonySessionNotification({ uuid: 'u-bad' }) as unknown as {
      body: Record<string, unknown>
    }
    event.body['sequence'] = 'not-a-number'
    const res = await app.request(URL_RC, rcRequest(event))
    expect(res.status).toBe(200)
    expect(((await res.json()) as Record<string, string>)['status']).toBe('parked')
    expect(recording.on('ringcentral.webhooks')).toHaveLength(0)
    const [parked] = recording.on('ringcentral.webhooks.invalid')
    const value = JSON.parse(parked?.value ?? '{}')
    expect(value.error).toContain('sequence')
    expect(value.payload).toEqual(event)
    expect(parked?.key).toBe('u-bad')
  })
})

describe('POST /webhooks/ringcentral: dedup', () => {
  it('answers 200 to a redelivered event and publishes it once', async () => {
    const { app, recording } = await start()
    const event = genericNotification({ uuid: 'u-dup' })
    const first = await app.request(URL_RC, rcRequest(event))
    const second = await app.request(URL_RC, rcRequest(event))
    expect(first.status).toBe(200)
    expect(second.status).toBe(200)
    expect(await second.json()).toEqual({ status: 'duplicate', id: 'rc:u-dup' })
    expect(recording.published).toHaveLength(1)
  })

  it('publishes concurrent copies of one event once', async () => {
    const { app, recording } = await start()
    const event = genericNotification({ uuid: 'u-race' })
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => app.request(URL_RC, rcRequest(event))),
    )
    expect(answers.every((r) => r.status === 200)).toBe(true)
    expect(recording.published).toHaveLength(1)
  })

  it('fails open when the dedup store is down: the event is still published', async () => {
    const { app, recording } = await start({ kv: brokenKv() })
    const res = await app.request(URL_RC, rcRequest(genericNotification({ uuid: 'u-open' })))
    expect(res.status).toBe(200)
    expect(recording.published).toHaveLength(1)
    const metrics = await (await app.request('http://gw.test/metrics')).text()
    expect(metrics).toMatch(/callbridge_gateway_dedup_fail_open_total 1/)
  })
})

describe('POST /webhooks/ringcentral: durability', () => {
  it('spools events while Kafka is down, answers 200, and drains them in order when it is back', async () => {
    const { app, recording } = await start({ env: { PUBLISH_BUDGET_MS: '200' } })
    recording.setMode('down')
    const uuids = Array.from({ length: 10 }, (_, i) => `u-spool-${i}`)
    for (const uuid of uuids) {
      const res = await app.request(URL_RC, rcRequest(genericNotification({ uuid })))
      expect(res.status).toBe(200)
      expect(((await res.json()) as Record<string, string>)['status']).toBe('accepted')
    }
    expect(recording.published).toHaveLength(0)
    recording.setMode('up')
    await waitFor(() => recording.published.length === 10, { what: 'the spool to drain' })
    expect(recording.published.map((p) => JSON.parse(p.value).payload.uuid)).toEqual(uuids)
  })

  it('keeps spooled events across a gateway restart and publishes them after it', async () => {
    const down = createRecordingBus()
    down.setMode('down')
    const first = await startGatewayHarness({ bus: down.bus, env: { PUBLISH_BUDGET_MS: '100' } })
    for (const uuid of ['u-restart-1', 'u-restart-2']) {
      expect(
        (await first.app.request(URL_RC, rcRequest(genericNotification({ uuid })))).status,
      ).toBe(200)
    }
    await first.stop()
    const { recording } = await start({ dataDir: first.dataDir })
    await waitFor(() => recording.published.length === 2, {
      what: 'the restarted gateway to drain its spool',
    })
    expect(recording.published.map((p) => JSON.parse(p.value).payload.uuid)).toEqual([
      'u-restart-1',
      'u-restart-2',
    ])
  })

  it('goes to the spool when Kafka does not answer within the budget', async () => {
    const { app, recording } = await start({ env: { PUBLISH_BUDGET_MS: '100' } })
    recording.setMode('hang')
    const res = await app.request(URL_RC, rcRequest(genericNotification({ uuid: 'u-slow' })))
    expect(res.status).toBe(200)
    recording.setMode('up')
    await waitFor(() =>
      recording.published.some((p) => JSON.parse(p.value).payload.uuid === 'u-slow'),
    )
  })

  it('batches concurrent requests into few produce calls (group commit)', async () => {
    const { app, recording } = await start({ env: { BATCH_LINGER_MS: '20' } })
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        app.request(URL_RC, rcRequest(genericNotification({ uuid: `u-batch-${i}` }))),
      ),
    )
    expect(recording.published).toHaveLength(50)
    expect(recording.produceCalls()).toBeLessThan(10)
  })
})
