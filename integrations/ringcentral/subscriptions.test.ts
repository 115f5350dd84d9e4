import { Hono } from 'hono'
import { afterEach, describe, expect, it } from 'vitest'
import { createMemoryKv } from '../../platform/kv/memory.ts'
import { serveApp } from '../../simulators/shared/serve.ts'
import { RingCentralApiError } from './errors.ts'
import { closeAll, replica, startSim } from './test-support.ts'

const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
  await closeAll()
})

/** A webhook receiver that answers RingCentral's validation handshake (or not, with `echo: false`). */
const startReceiver = async ({ echo = true } = {}) => {
  const handshakes: { validationToken: string; verificationToken: string | undefined }[] = []
  const app = new Hono()
  app.post('/hook', (c) => {
    const validationToken = c.req.header('validation-token')
    if (validationToken !== undefined) {
      handshakes.push({ validationToken, verificationToken: c.req.header('verification-token') })
      if (echo) c.header('Validation-Token', validationToken)
    }
    return c.body(null, 200)
  })
  const served = await serveApp(app)
  closers.push(served.close)
  return { address: `${served.url}/hook`, handshakes }
}

const telephony = '/restapi/v1.0/account/~/telephony/sessions'
const voicemail = '/restapi/v1.0/account/~/extension/~/voicemail'

describe('webhook subscriptions', () => {
  it('creates, lists, reads, updates, renews and deletes a subscription', async () => {
    const rc = await startSim({ rateLimits: false })
    const client = replica(rc, createMemoryKv())
    const receiver = await startReceiver()

    const created = await client.createSubscription({
      eventFilters: [telephony],
      address: receiver.address,
      verificationToken: 'verification-token-1',
      expiresIn: 3_600,
    })
    expect(created).toMatchObject({
      status: 'Active',
      eventFilters: [telephony],
      deliveryMode: { transportType: 'WebHook', address: receiver.address },
    })
    expect(receiver.handshakes).toEqual([
      { validationToken: expect.any(String), verificationToken: 'verification-token-1' },
    ])

    expect((await client.listSubscriptions()).map((s) => s.id)).toEqual([created.id])
    expect(await client.getSubscription(created.id)).toMatchObject({ id: created.id })

    const updated = await client.updateSubscription(created.id, {
      eventFilters: [telephony, voicemail],
    })
    expect(updated.eventFilters).toEqual([telephony, voicemail])

    rc.sim.advance(60_000)
    const renewed = await client.renewSubscription(created.id)
    expect(Date.parse(renewed.expirationTime ?? '')).toBeGreaterThan(
      Date.parse(created.expirationTime ?? ''),
    )

    await client.deleteSubscription(created.id)
    const gone = await client.getSubscription(created.id).catch((error: unknown) => error)
    expect(gone).toBeInstanceOf(RingCentralApiError)
    expect(gone).toMatchObject({ status: 404 })

    // create, update, delete are Medium; list, read (twice) and renew are Light
    expect(rc.sim.stats().requests).toMatchObject({ Medium: 3, Light: 4 })
  })

  it('fails with SUB-525 when the receiver does not echo the Validation-Token', async () => {
    const rc = await startSim({ rateLimits: false })
    const client = replica(rc, createMemoryKv())
    const receiver = await startReceiver({ echo: false })

    const error = await client
      .createSubscription({
        eventFilters: [telephony],
        address: receiver.address,
        verificationToken: 'verification-token-2',
      })
      .catch((e: unknown) => e)

    expect(error).toBeInstanceOf(RingCentralApiError)
    expect(error).toMatchObject({ status: 400, errorCode: 'SUB-525' })
    expect(await client.listSubscriptions()).toEqual([])
  })
})

describe('SMS', () => {
  it('sends a text from the JWT user (Medium group)', async () => {
    const rc = await startSim({ rateLimits: false })
    const client = replica(rc, createMemoryKv())

    const message = await client.sendSms({
      from: '+15550100',
      to: '+15550199',
      text: 'Missed call from +15550111',
    })

    expect(typeof message.id).toBe('string')
    expect(rc.sim.state.sms).toMatchObject([
      { from: '+15550100', to: ['+15550199'], text: 'Missed call from +15550111' },
    ])
    expect(rc.sim.stats().requests.Medium).toBe(1)
  })
})
