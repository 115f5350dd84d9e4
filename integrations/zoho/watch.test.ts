import { describe, expect, it } from 'vitest'
import { CrmValidationError } from '../crm/errors.ts'
import { createZohoCrm } from './crm.ts'
import { useZohoHarness } from './harness-hook.ts'
import { channelExpiry, maxChannelLifeMs } from './watch.ts'

describe('watch channel expiry', () => {
  const now = Date.parse('2025-03-01T00:00:00Z')

  it('keeps an expiry within the week', () => {
    const wanted = new Date(now + 2 * 24 * 3600_000)
    expect(channelExpiry(wanted, now)).toEqual(wanted)
  })

  it('clamps a later expiry to just under a week (Zoho would silently make it one hour)', () => {
    const granted = channelExpiry(new Date(now + 30 * 24 * 3600_000), now).getTime()
    expect(granted).toBeLessThan(now + maxChannelLifeMs)
    expect(granted).toBeGreaterThan(now + maxChannelLifeMs - 10 * 60_000)
    expect(channelExpiry(undefined, now).getTime()).toBe(granted)
  })

  it('refuses an expiry in the past or less than a minute away', () => {
    expect(() => channelExpiry(new Date(now - 1), now)).toThrow(/at least a minute/)
    expect(() => channelExpiry(new Date(now + 30_000), now)).toThrow(/at least a minute/)
    expect(() => channelExpiry(new Date(Number.NaN), now)).toThrow(/at least a minute/)
  })
})

describe('watch channels on the simulator', () => {
  const startHarness = useZohoHarness()

  const day = 24 * 3600_000
  const seconds = (date: Date | number) => Math.floor(new Date(date).getTime() / 1000)

  it('enables, renews (PATCH) and disables a channel', async () => {
    const harness = await startHarness()
    const methods: string[] = []
    const client = harness.client({
      fetch: (input, init) => {
        if (String(input).includes('/actions/watch')) methods.push(init?.method ?? 'GET')
        return fetch(input, init)
      },
    })
    const crm = createZohoCrm(client)
    const channel = {
      channelId: '1000000001',
      events: ['Leads.all', 'Contacts.edit'],
      notifyUrl: 'https://gateway.example.com/webhooks/zoho?secret=s3',
      token: 'channel-token-1',
      expiresAt: new Date(Date.now() + 2 * day),
    }
    const enabled = await crm.watchChanges(channel)
    expect(seconds(enabled.expiresAt)).toBe(seconds(channel.expiresAt))
    expect(harness.sim.state.channels()).toEqual([
      expect.objectContaining({
        channelId: '1000000001',
        events: ['Leads.all', 'Contacts.edit'],
        token: 'channel-token-1',
        notifyUrl: channel.notifyUrl,
      }),
    ])

    const later = new Date(Date.now() + 5 * day)
    const renewed = await crm.watchChanges({ ...channel, events: ['Leads.all'], expiresAt: later })
    expect(seconds(renewed.expiresAt)).toBe(seconds(later))
    expect(harness.sim.state.channels()).toEqual([
      expect.objectContaining({ channelId: '1000000001', events: ['Leads.all'] }),
    ])
    expect(methods).toEqual(['GET', 'POST', 'GET', 'PATCH'])

    expect(await client.watch.list()).toHaveLength(1)
    await client.watch.disable(['1000000001'])
    expect(harness.sim.state.channels()).toEqual([])
    expect(await client.watch.list()).toEqual([])
  })

  it('asks for at most a week, so Zoho never falls back to its one-hour default', async () => {
    const harness = await startHarness()
    const crm = createZohoCrm(harness.client())
    const { expiresAt } = await crm.watchChanges({
      channelId: '1000000002',
      events: ['Leads.create'],
      notifyUrl: 'https://gateway.example.com/webhooks/zoho',
      token: 't',
      expiresAt: new Date(Date.now() + 30 * day),
    })
    const [stored] = harness.sim.state.channels()
    expect(stored?.expiresAt).toBe(expiresAt.getTime())
    expect(expiresAt.getTime()).toBeGreaterThan(Date.now() + 6.9 * day)
    expect(expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + maxChannelLifeMs)
  })

  it('refuses a token longer than 50 characters before calling Zoho', async () => {
    const harness = await startHarness()
    const crm = createZohoCrm(harness.client())
    const error = await crm
      .watchChanges({
        channelId: '1000000003',
        events: ['Leads.all'],
        notifyUrl: 'https://gateway.example.com/webhooks/zoho',
        token: 'x'.repeat(51),
        expiresAt: new Date(Date.now() + day),
      })
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(CrmValidationError)
    expect(error).toMatchObject({ field: 'token' })
    expect(harness.sim.stats().requests).toBe(0)
  })
})
