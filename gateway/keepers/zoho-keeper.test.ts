import { describe, expect, it } from 'vitest'
import { useZohoHarness } from '../../integrations/zoho/harness-hook.ts'
import type { ZohoHarness } from '../../integrations/zoho/testing.ts'
import { createLogger } from '../../platform/log/logger.ts'
import { zohoChannelTokenKey } from '../channel-token.ts'
import { createZohoKeeper } from './zoho-keeper.ts'

const logger = createLogger({
  service: 'test',
  environment: 'test',
  version: 'test',
  level: 'silent',
})
const startHarness = useZohoHarness()

const keeperFor = (
  h: ZohoHarness,
  overrides: Partial<Parameters<typeof createZohoKeeper>[0]> = {},
) =>
  createZohoKeeper({
    api: h.client().watch,
    kv: h.kv,
    channelId: '1000500000001',
    events: ['Leads.all', 'Contacts.all'],
    notifyUrl: 'https://gw.example.com/webhooks/zoho',
    logger,
    ...overrides,
  })

describe('Zoho watch channel keeper', () => {
  it('enables the channel with a token it stored first, then keeps it', async () => {
    const harness = await startHarness()
    const keeper = keeperFor(harness)
    const first = await keeper.ensure()
    expect(first.action).toBe('enable')
    const token = await harness.kv.get(zohoChannelTokenKey('1000500000001'))
    expect(token).toMatch(/^[\w-]{32}$/)
    const [channel] = harness.sim.state.channels()
    expect(channel).toMatchObject({ channelId: '1000500000001', token })
    expect((await keeper.ensure()).action).toBe('keep')
  })

  it('uses the configured token when there is one', async () => {
    const harness = await startHarness()
    await keeperFor(harness, { token: 'configured-zoho-token-123' }).ensure()
    expect(await harness.kv.get(zohoChannelTokenKey('1000500000001'))).toBe(
      'configured-zoho-token-123',
    )
    expect(harness.sim.state.channels()[0]?.token).toBe('configured-zoho-token-123')
  })

  it('renews a channel that expires within the renewal window', async () => {
    const harness = await startHarness()
    const keeper = keeperFor(harness, { renewWithinMs: 8 * 86_400_000 })
    await keeper.ensure()
    expect((await keeper.ensure()).action).toBe('renew')
  })

  it('re-enables a channel that vanished and fixes a drifted notify URL', async () => {
    const harness = await startHarness()
    await keeperFor(harness).ensure()
    expect(
      (await keeperFor(harness, { notifyUrl: 'https://new.example.com/webhooks/zoho' }).ensure())
        .action,
    ).toBe('update')
    await harness.client().watch.disable(['1000500000001'])
    expect((await keeperFor(harness).ensure()).action).toBe('enable')
  })
})
