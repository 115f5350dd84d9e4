import { describe, expect, it } from 'vitest'
import { createMemoryKv } from '../../platform/kv/memory.ts'
import { createRingCentralClient } from './index.ts'
import { simCredentials } from './test-support.ts'

const base = { serverUrl: 'https://platform.ringcentral.com', ...simCredentials }

describe('createRingCentralClient', () => {
  it('rejects unusable options when it is created, not at the first call', () => {
    const kv = createMemoryKv()
    expect(() => createRingCentralClient({ ...base, kv, serverUrl: 'not a url' })).toThrow()
    expect(() => createRingCentralClient({ ...base, kv, serverUrl: 'ftp://x' })).toThrow(
      /http\(s\)/,
    )
    expect(() => createRingCentralClient({ ...base, kv, jwt: '' })).toThrow(/jwt is empty/)
    expect(() => createRingCentralClient({ ...base, kv, budgets: { Heavy: 0 } })).toThrow(
      /Heavy must be a positive integer/,
    )
  })

  it('never puts the JWT or the client secret into an option error', () => {
    const kv = createMemoryKv()
    let message = ''
    try {
      createRingCentralClient({ ...base, kv, serverUrl: 'not a url' })
    } catch (error) {
      message = String(error)
    }
    expect(message).not.toContain(simCredentials.jwt)
    expect(message).not.toContain(simCredentials.clientSecret)
  })
})
