import { afterEach, describe, expect, it } from 'vitest'
import { startRingCentralSimulator } from './start.ts'
import { simClient } from './testing.ts'
import type { RingCentralSimulatorOptions } from './types.ts'

let cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups) await cleanup()
  cleanups = []
})

const setup = async (options: RingCentralSimulatorOptions = {}) => {
  const start = Date.parse('2026-03-02T10:00:00.000Z')
  const rc = await startRingCentralSimulator({ rateLimits: false, now: () => start, ...options })
  cleanups.push(rc.close)
  const client = simClient(rc.sim, rc.url)
  const { access_token: token } = await client.login()
  const call = await rc.sim.placeCall({
    direction: 'Inbound',
    from: '+15550111',
    to: '+15550100',
    result: 'answered',
    recording: true,
    durationS: 42,
  })
  const metadataPath = `/restapi/v1.0/account/~/recording/${call.recordingId}`
  const contentUrl = `${rc.mediaUrl}/restapi/v1.0/account/1001/recording/${call.recordingId}/content`
  return { rc, client, token, call, metadataPath, contentUrl }
}

const countBytes = async (res: Response) => {
  let total = 0
  let chunks = 0
  const reader = res.body?.getReader()
  for (;;) {
    const next = await reader?.read()
    if (!next || next.done) break
    total += next.value.byteLength
    chunks++
  }
  return { total, chunks }
}

describe('recordings', () => {
  it('answers 404 CMN-102 until the recording is available, then its metadata', async () => {
    const { rc, client, token, call, metadataPath, contentUrl } = await setup()
    const early = await client.get(metadataPath, token)
    expect(early.status).toBe(404)
    expect(await early.json()).toMatchObject({ errorCode: 'CMN-102', parameterName: 'recordingId' })
    expect(
      (await fetch(contentUrl, { headers: { authorization: `Bearer ${token}` } })).status,
    ).toBe(404)
    rc.sim.advance(30_000)
    const res = await client.get(metadataPath, token)
    expect(res.headers.get('x-rate-limit-group')).toBe(null)
    expect(await res.json()).toEqual({
      id: call.recordingId,
      contentUri: contentUrl,
      contentType: 'audio/mpeg',
      duration: 42,
    })
  })

  it('streams deterministic audio/mpeg content from the media URL with a bearer header or an access_token query', async () => {
    const { rc, token, contentUrl } = await setup()
    rc.sim.advance(30_000)
    const byHeader = await fetch(contentUrl, { headers: { authorization: `Bearer ${token}` } })
    expect(byHeader.status).toBe(200)
    expect(byHeader.headers.get('content-type')).toBe('audio/mpeg')
    expect(byHeader.headers.get('content-length')).toBe('65536')
    const a = new Uint8Array(await byHeader.arrayBuffer())
    const byQuery = await fetch(`${contentUrl}?access_token=${token}&contentDisposition=Attachment`)
    expect(byQuery.headers.get('content-disposition')).toMatch(/^attachment; filename="\d+\.mp3"$/)
    const b = new Uint8Array(await byQuery.arrayBuffer())
    expect(a.byteLength).toBe(65_536)
    expect(Buffer.from(a.subarray(0, 3)).toString()).toBe('ID3')
    expect(Buffer.compare(a, b)).toBe(0)
  })

  it('refuses content without a token, and does not serve it on the platform host', async () => {
    const { rc, token, contentUrl } = await setup()
    rc.sim.advance(30_000)
    const anonymous = await fetch(contentUrl)
    expect(anonymous.status).toBe(401)
    expect(await anonymous.json()).toMatchObject({ errorCode: 'AGW-401' })
    const onPlatform = await fetch(contentUrl.replace(rc.mediaUrl, rc.url), {
      headers: { authorization: `Bearer ${token}` },
    })
    expect(onPlatform.status).toBe(404)
  })

  it('streams large recordings in chunks', async () => {
    const { rc, token, contentUrl } = await setup({ recordingBytes: 8 * 1024 * 1024 })
    rc.sim.advance(30_000)
    const res = await fetch(contentUrl, { headers: { authorization: `Bearer ${token}` } })
    const { total, chunks } = await countBytes(res)
    expect(total).toBe(8 * 1024 * 1024)
    expect(chunks).toBeGreaterThan(1)
  })
})
