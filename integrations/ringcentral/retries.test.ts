import { afterEach, describe, expect, it } from 'vitest'
import { createMemoryKv } from '../../platform/kv/memory.ts'
import { waitFor } from '../../test/wait-for.ts'
import { RingCentralUnavailableError } from './errors.ts'
import { closeAll, replica, startSim } from './test-support.ts'

afterEach(closeAll)

/** A fetch whose first request matching `path` fails like a dropped connection. */
const flakyFetch = (path: string) => {
  const attempts: string[] = []
  let failed = false
  const fetchImpl: typeof fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input)
    if (url.includes(path)) {
      attempts.push(url)
      if (!failed) {
        failed = true
        throw new TypeError('fetch failed', { cause: new Error('socket hang up') })
      }
    }
    return globalThis.fetch(input, init)
  }
  return { fetch: fetchImpl, attempts }
}

describe('retries', () => {
  it('retries a read after a network error', async () => {
    const rc = await startSim({ rateLimits: false })
    const flaky = flakyFetch('/restapi/v1.0/subscription')
    const client = replica(rc, createMemoryKv(), { fetch: flaky.fetch })

    expect(await client.listSubscriptions()).toEqual([])
    expect(flaky.attempts).toHaveLength(2)
  })

  it('does not repeat an SMS after a network error: it could text twice', async () => {
    const rc = await startSim({ rateLimits: false })
    const flaky = flakyFetch('/sms')
    const client = replica(rc, createMemoryKv(), { fetch: flaky.fetch })

    await expect(
      client.sendSms({ from: '+15550100', to: '+15550199', text: 'hello' }),
    ).rejects.toBeInstanceOf(RingCentralUnavailableError)
    expect(flaky.attempts).toHaveLength(1)
  })

  it('retries after a 503, waiting its Retry-After instead of hammering', async () => {
    const rc = await startSim({ rateLimits: false })
    const client = replica(rc, createMemoryKv())
    await client.listSubscriptions() // logged in: the fault below hits the API call

    rc.sim.setFaults({ serviceUnavailable: 1 })
    const listing = client.listSubscriptions()
    await waitFor(() => rc.sim.stats().served503 === 1, { what: 'a 503' })
    rc.sim.setFaults({})

    expect(await listing).toEqual([])
    expect(rc.sim.stats().served503).toBe(1)
  })

  it('wakes requests waiting for a budget slot with an error when the client is closed', async () => {
    const rc = await startSim({ rateLimits: false })
    const client = replica(rc, createMemoryKv(), { budgets: { Light: 1 } })
    await client.listSubscriptions()

    const waiting = client.listSubscriptions()
    client.close()

    await expect(waiting).rejects.toBeInstanceOf(RingCentralUnavailableError)
    expect(rc.sim.stats().requests.Light).toBe(1)
  })
})
