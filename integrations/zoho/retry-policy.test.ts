import net from 'node:net'
import { describe, expect, it } from 'vitest'
import {
  backoffDelayMs,
  fetchFailure,
  mayRetry,
  outcomeUnknown,
  retrySettings,
} from './retry-policy.ts'

describe('retry policy', () => {
  const read = { idempotent: true, replayable: true }
  const create = { idempotent: false, replayable: true }
  const stream = { idempotent: false, replayable: false }

  it('retries reads and keyed writes on every transient failure', () => {
    for (const failure of [
      'rate-limited',
      'server-error',
      'timeout',
      'connect-failed',
      'network-error',
    ] as const) {
      expect(mayRetry(failure, read)).toBe(true)
    }
  })

  it('retries creates only where Zoho cannot have applied them: 429 and failed connects', () => {
    expect(mayRetry('rate-limited', create)).toBe(true)
    expect(mayRetry('connect-failed', create)).toBe(true)
    expect(mayRetry('server-error', create)).toBe(false)
    expect(mayRetry('timeout', create)).toBe(false)
    expect(mayRetry('network-error', create)).toBe(false)
    expect(outcomeUnknown('server-error', create)).toBe(true)
    expect(outcomeUnknown('rate-limited', create)).toBe(false)
    expect(outcomeUnknown('server-error', read)).toBe(false)
  })

  it('never sends a body that cannot be replayed twice', () => {
    expect(mayRetry('rate-limited', stream)).toBe(false)
    expect(mayRetry('connect-failed', stream)).toBe(false)
  })

  it('draws full-jitter delays between 0 and the doubling ceiling, capped at maxMs', () => {
    const settings = retrySettings({ baseMs: 100, maxMs: 1000 })
    expect(backoffDelayMs(0, settings, () => 0.999)).toBe(99)
    expect(backoffDelayMs(3, settings, () => 0.5)).toBe(400)
    expect(backoffDelayMs(10, settings, () => 0.999)).toBe(999)
    expect(backoffDelayMs(10, settings, () => 0)).toBe(0)
  })

  it('rejects settings that would never send or never wait sensibly', () => {
    expect(() => retrySettings({ attempts: 0 })).toThrow(RangeError)
    expect(() => retrySettings({ baseMs: 500, maxMs: 100 })).toThrow(RangeError)
    expect(retrySettings()).toEqual({ attempts: 5, baseMs: 250, maxMs: 8000 })
  })

  it('tells a refused connection from a broken one and from a timeout', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo
        server.close(() => resolve(port))
      })
    })
    const refused = await fetch(`http://127.0.0.1:${closedPort}/`).catch((error: unknown) => error)
    expect(fetchFailure(refused)).toBe('connect-failed')
    expect(fetchFailure(new DOMException('late', 'TimeoutError'))).toBe('timeout')
    expect(
      fetchFailure(new TypeError('fetch failed', { cause: new Error('other side closed') })),
    ).toBe('network-error')
  })
})
