/**
 * The real `@ringcentral/sdk` (v5) against the served simulator: JWT login, explicit and automatic
 * refresh, call log, recording download from the absolute media `contentUri`, and logout.
 */
import { SDK } from '@ringcentral/sdk'
import { afterEach, describe, expect, it } from 'vitest'
import { startRingCentralSimulator } from './start.ts'
import { simCredentials } from './testing.ts'
import type { RingCentralSimulatorOptions } from './types.ts'

let cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups) await cleanup()
  cleanups = []
})

let instances = 0
const connect = async (options: RingCentralSimulatorOptions = {}) => {
  const rc = await startRingCentralSimulator({ callLogDelayMs: 0, recordingDelayMs: 0, ...options })
  cleanups.push(rc.close)
  // Each SDK gets its own cache key: the SDK's Node storage is one in-memory store per process.
  const newPlatform = () =>
    new SDK({
      server: rc.url,
      clientId: simCredentials.clientId,
      clientSecret: simCredentials.clientSecret,
      cachePrefix: `sim-test-${++instances}-`,
    }).platform()
  return { rc, newPlatform }
}

describe('@ringcentral/sdk against the simulator', () => {
  it('logs in with the JWT, refreshes, reads the call log and downloads a recording from the media URL', async () => {
    const { rc, newPlatform } = await connect()
    const platform = newPlatform()
    await platform.login({ jwt: simCredentials.jwt })
    const first = await platform.auth().data()
    expect(first.owner_id).toBe('2002')
    expect(await platform.loggedIn()).toBe(true)

    await platform.refresh()
    const second = await platform.auth().data()
    expect(second.access_token).not.toBe(first.access_token)
    expect(rc.sim.stats().refreshes).toBe(1)

    const call = await rc.sim.placeCall({
      direction: 'Inbound',
      from: '+15550111',
      to: '+15550100',
      result: 'answered',
      recording: true,
    })
    const res = await platform.get('/restapi/v1.0/account/~/call-log', {
      telephonySessionId: call.telephonySessionId,
      view: 'Detailed',
    })
    const log = (await res.json()) as { records: { recording?: { contentUri: string } }[] }
    expect(log.records).toHaveLength(1)
    const contentUri = log.records[0]?.recording?.contentUri ?? ''
    expect(contentUri.startsWith(`${rc.mediaUrl}/restapi/v1.0/account/1001/recording/`)).toBe(true)

    const media = await platform.get(contentUri)
    expect(media.headers.get('content-type')).toBe('audio/mpeg')
    expect((await media.arrayBuffer()).byteLength).toBe(64 * 1024)

    await platform.logout()
    expect(rc.sim.state.sessions.every((s) => !s.live)).toBe(true)
  })

  it('recovers from a server-side token expiry by refreshing once on the 401', async () => {
    const { rc, newPlatform } = await connect()
    const platform = newPlatform()
    await platform.login({ jwt: simCredentials.jwt })
    rc.sim.expireTokens()
    const res = await platform.get('/restapi/v1.0/subscription')
    expect(res.status).toBe(200)
    expect(rc.sim.stats().refreshes).toBe(1)
  })

  it('surfaces 401 "Token not found" to a client whose session was pushed out by newer logins', async () => {
    const { newPlatform } = await connect({ maxSessions: 2 })
    const oldest = newPlatform()
    await oldest.login({ jwt: simCredentials.jwt })
    for (let i = 0; i < 2; i++) await newPlatform().login({ jwt: simCredentials.jwt })
    await expect(oldest.get('/restapi/v1.0/subscription')).rejects.toThrow(/Token not found/)
  })

  it('reports a 429 with its Retry-After through the SDK', async () => {
    const { newPlatform } = await connect({ rateLimits: { Heavy: 1 } })
    const platform = newPlatform()
    await platform.login({ jwt: simCredentials.jwt })
    await platform.get('/restapi/v1.0/account/~/call-log')
    const error = await platform.get('/restapi/v1.0/account/~/call-log').then(
      () => undefined,
      (e: unknown) => e as { response?: Response; retryAfter?: number; message: string },
    )
    expect(error?.response?.status).toBe(429)
    expect(error?.retryAfter).toBe(60_000)
    expect(error?.message).toBe('Request rate exceeded')
  })
})
