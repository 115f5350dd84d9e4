import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  genericNotification,
  telephonySessionNotification,
} from '../../schemas/fixtures/ringcentral.ts'
import { zohoNotification } from '../../schemas/fixtures/zoho.ts'
import { RC_TOKEN, startGatewayHarness, ZOHO_TOKEN } from '../testing/harness.ts'
import { createRecordingBus } from '../testing/recording-bus.ts'

// Generated bodies and headers against both endpoints: never a 5xx, never a crash, and never a
// publication without a valid token.
const recording = createRecordingBus()
let gateway: Awaited<ReturnType<typeof startGatewayHarness>>
beforeAll(async () => {
  gateway = await startGatewayHarness({
    bus: recording.bus,
    env: { AUTH_FAILURE_LIMIT: '1000000' },
  })
})
afterAll(() => gateway.stop())

const headerValue = fc.oneof(fc.string(), fc.constant(RC_TOKEN), fc.constant('application/json'))
const headers = fc.dictionary(
  fc.constantFrom(
    'content-type',
    'verification-token',
    'validation-token',
    'content-length',
    'x-forwarded-for',
    'x-other',
  ),
  headerValue,
)
const jsonish = fc.oneof(
  fc.json(),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string(),
  fc.constant(JSON.stringify(telephonySessionNotification())),
  fc.constant(JSON.stringify(genericNotification())),
  fc
    .record({ uuid: fc.string(), event: fc.string(), body: fc.jsonValue() })
    .map((v) => JSON.stringify(v)),
  fc.constant(JSON.stringify(zohoNotification())),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
)

const send = (path: string, body: string, h: Record<string, string>) => {
  // Header values must be valid ByteStrings for Request; replace what is not.
  const safe = Object.fromEntries(
    Object.entries(h).map(([k, v]) => [k, v.replace(/[^\x20-\x7e]/g, '?')]),
  )
  delete safe['content-length']
  return gateway.app.request(`http://gw.test${path}`, { method: 'POST', headers: safe, body })
}

describe('webhook endpoints under generated input', () => {
  it('never answer 5xx and publish to RingCentral topics only with the right Verification-Token', async () => {
    await fc.assert(
      fc.asyncProperty(jsonish, headers, async (body, h) => {
        const before = recording.published.length
        const res = await send('/webhooks/ringcentral', body, h)
        expect(res.status).toBeLessThan(500)
        const published = recording.published.length > before
        if (published) expect(h['verification-token']).toBe(RC_TOKEN)
      }),
      { numRuns: 300 },
    )
    // The property is not vacuous: authentic generated events were published.
    expect(recording.published.length).toBeGreaterThan(0)
  })

  it('never answer 5xx and publish Zoho callbacks only with the right body token', async () => {
    const zohoBody = fc.oneof(
      jsonish,
      fc
        .record({
          token: fc.oneof(fc.string(), fc.constant(ZOHO_TOKEN)),
          channel_id: fc.string(),
          ids: fc.array(fc.string()),
        })
        .map((v) => JSON.stringify({ ...zohoNotification(), ...v })),
    )
    await fc.assert(
      fc.asyncProperty(zohoBody, headers, async (body, h) => {
        const before = recording.published.length
        const res = await send('/webhooks/zoho', body, h)
        expect(res.status).toBeLessThan(500)
        if (recording.published.length > before) {
          expect((JSON.parse(body) as { token?: unknown }).token).toBe(ZOHO_TOKEN)
        }
      }),
      { numRuns: 300 },
    )
    expect(recording.on('zoho.webhooks').length).toBeGreaterThan(0)
  })
})
