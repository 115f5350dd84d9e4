import { afterEach, describe, expect, it } from 'vitest'
import { genericNotification } from '../../schemas/fixtures/ringcentral.ts'
import { serveApp } from '../../simulators/shared/serve.ts'
import { rcRequest, startGatewayHarness } from '../testing/harness.ts'
import { createRecordingBus } from '../testing/recording-bus.ts'

// Over a real socket (@hono/node-server), where the Content-Length fast path applies; the
// in-process path is covered in ringcentral.test.ts.
let stops: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const stop of stops.reverse()) await stop()
  stops = []
})

const served = async () => {
  const recording = createRecordingBus()
  const gw = await startGatewayHarness({
    bus: recording.bus,
    env: { WEBHOOK_MAX_BODY_BYTES: '1024' },
  })
  stops.push(gw.stop)
  const server = await serveApp(gw.app)
  stops.push(server.close)
  return { url: `${server.url}/webhooks/ringcentral`, recording }
}

const chunked = (text: string): RequestInit =>
  ({
    ...rcRequest(''),
    body: new ReadableStream({
      start(controller) {
        const bytes = new TextEncoder().encode(text)
        for (let i = 0; i < bytes.length; i += 256) controller.enqueue(bytes.slice(i, i + 256))
        controller.close()
      },
    }),
    duplex: 'half',
  }) as RequestInit

describe('the body cap over HTTP', () => {
  it('answers 413 by Content-Length before reading the body, and publishes nothing', async () => {
    const { url, recording } = await served()
    const big = JSON.stringify(genericNotification({ extra: { pad: 'x'.repeat(2000) } }))
    const res = await fetch(url, rcRequest(big))
    expect(res.status).toBe(413)
    expect(recording.published).toHaveLength(0)
  })

  it('answers 413 to a chunked body that grows past the cap', async () => {
    const { url, recording } = await served()
    const big = JSON.stringify(genericNotification({ extra: { pad: 'x'.repeat(2000) } }))
    const res = await fetch(url, chunked(big))
    expect(res.status).toBe(413)
    expect(recording.published).toHaveLength(0)
  })

  it('accepts bodies under the cap, with a Content-Length or chunked', async () => {
    const { url, recording } = await served()
    const sized = await fetch(url, rcRequest(genericNotification({ uuid: 'cap-sized' })))
    const streamed = await fetch(
      url,
      chunked(JSON.stringify(genericNotification({ uuid: 'cap-chunked' }))),
    )
    expect([sized.status, streamed.status]).toEqual([200, 200])
    expect(recording.published.map((m) => m.headers['ce_id'])).toEqual([
      'rc:cap-sized',
      'rc:cap-chunked',
    ])
  })
})
