import { Hono } from 'hono'
import { afterEach, describe, expect, it } from 'vitest'
import { parseZohoNotification } from '../../schemas/zoho/notification.ts'
import { waitFor } from '../../test/wait-for.ts'
import { type Served, serveApp } from '../shared/serve.ts'
import { createZohoSimulator } from './app.ts'
import { crmClient, grantAccessToken, manualClock } from './testing.ts'

let servers: Served[] = []
afterEach(async () => {
  for (const server of servers) await server.close()
  servers = []
})

/** A local HTTP receiver recording every callback it gets. */
const startReceiver = async () => {
  const received: { query: Record<string, string>; contentType: string; body: unknown }[] = []
  const app = new Hono()
  app.post('/zoho/callback', async (c) => {
    received.push({
      query: c.req.query(),
      contentType: c.req.header('content-type') ?? '',
      body: await c.req.json(),
    })
    return c.body(null, 200)
  })
  const server = await serveApp(app)
  servers.push(server)
  return { url: `${server.url}/zoho/callback?secret=s3cr3t`, received }
}

const setup = async (options: Parameters<typeof createZohoSimulator>[0] = {}) => {
  const sim = createZohoSimulator(options)
  sim.setBaseUrl('http://127.0.0.1:4010')
  return { sim, crm: crmClient(sim, await grantAccessToken(sim)) }
}

const enable = (crm: ReturnType<typeof crmClient>, item: Record<string, unknown>) =>
  crm.post('/crm/v8/actions/watch', { watch: [item] })

describe('watch channels and callbacks', () => {
  it('posts an insert callback with the documented keys to notify_url after a lead is created', async () => {
    const receiver = await startReceiver()
    const { sim, crm } = await setup()
    const res = await enable(crm, {
      channel_id: '1000000068001',
      events: ['Leads.create'],
      notify_url: receiver.url,
      token: 'leads-watch-7f3a',
    })
    expect(res.status).toBe(201)
    expect((await res.json()).watch?.[0]).toMatchObject({
      code: 'SUCCESS',
      message: 'Successfully subscribed for actions-watch of the given module',
      details: {
        events: [
          {
            resource_name: 'Leads',
            channel_id: '1000000068001',
            resource_uri: 'http://127.0.0.1:4010/crm/v2/Leads',
          },
        ],
      },
    })
    const created = await crm.post('/crm/v8/Leads', {
      data: [{ Last_Name: 'Watched' }, { Last_Name: 'Too' }],
    })
    const ids = (await created.json()).data?.map((item) => item.details?.id)
    const callback = await waitFor(() => receiver.received[0], { what: 'the callback' })
    expect(callback?.contentType).toMatch(/^application\/json/)
    expect(callback?.query).toEqual({ secret: 's3cr3t' })
    expect(callback?.body).toEqual({
      server_time: expect.any(Number),
      query_params: { secret: 's3cr3t' },
      resource_uri: 'http://127.0.0.1:4010/crm/v2/Leads',
      ids,
      operation: 'insert',
      module: 'Leads',
      channel_id: 1000000068001,
      token: 'leads-watch-7f3a',
    })
    const parsed = parseZohoNotification(callback?.body)
    expect(parsed).toMatchObject({ ok: true, kind: 'Leads.insert' })
    await sim.flush()
    expect(sim.state.callbacks()).toEqual([
      expect.objectContaining({ channelId: '1000000068001', status: 200 }),
    ])
  })

  it('sends update (with affected_fields when asked) and delete callbacks to an .all channel', async () => {
    const receiver = await startReceiver()
    const { sim, crm } = await setup()
    const [lead] = sim.seed('Leads', [{ Last_Name: 'Edit' }])
    await enable(crm, {
      channel_id: 7,
      events: ['Leads.all'],
      notify_url: receiver.url,
      return_affected_field_values: true,
    })
    await crm.put(`/crm/v8/Leads/${lead?.['id']}`, { data: [{ Phone: '5550100' }] })
    await crm.delete(`/crm/v8/Leads/${lead?.['id']}`)
    await sim.flush()
    const bodies = receiver.received.map((item) => item.body)
    expect(bodies).toEqual([
      expect.objectContaining({
        operation: 'update',
        ids: [lead?.['id']],
        affected_fields: [{ [String(lead?.['id'])]: { Phone: '5550100' } }],
      }),
      expect.objectContaining({ operation: 'delete', ids: [lead?.['id']] }),
    ])
    expect(bodies[1]).not.toHaveProperty('affected_fields')
    expect(bodies.every((body) => parseZohoNotification(body).ok)).toBe(true)
  })

  it('expires a channel after one hour by default or past a week, and then stops silently', async () => {
    const clock = manualClock()
    const receiver = await startReceiver()
    const { sim, crm } = await setup({ now: clock.now })
    const inTwoDays = new Date(clock.now() + 2 * 24 * 3600 * 1000).toISOString()
    const inTwoWeeks = new Date(clock.now() + 14 * 24 * 3600 * 1000).toISOString()
    await enable(crm, { channel_id: 1, events: ['Leads.create'], notify_url: receiver.url })
    await enable(crm, {
      channel_id: 2,
      events: ['Contacts.create'],
      notify_url: receiver.url,
      channel_expiry: inTwoDays,
    })
    await enable(crm, {
      channel_id: 3,
      events: ['Calls.create'],
      notify_url: receiver.url,
      channel_expiry: inTwoWeeks,
    })
    const expiry = Object.fromEntries(
      sim.state.channels().map((c) => [c.channelId, c.expiresAt - clock.now()]),
    )
    expect(expiry).toEqual({ '1': 3600_000, '2': 2 * 24 * 3600_000, '3': 3600_000 })
    clock.advance(3600_000)
    await crm.post('/crm/v8/Leads', { data: [{ Last_Name: 'Late' }] })
    await sim.flush()
    expect(receiver.received).toEqual([])
    expect(sim.state.channels().map((c) => c.channelId)).toEqual(['2'])
  })

  it('rejects a token over 50 characters and items without mandatory keys', async () => {
    const { crm } = await setup()
    const res = await crm.post('/crm/v8/actions/watch', {
      watch: [
        {
          channel_id: 1,
          events: ['Leads.create'],
          notify_url: 'https://example.com/cb',
          token: 'x'.repeat(51),
        },
        { channel_id: 2, notify_url: 'https://example.com/cb' },
        { channel_id: 3, events: ['Deals.create'], notify_url: 'https://example.com/cb' },
      ],
    })
    expect(res.status).toBe(400)
    expect((await res.json()).watch).toEqual([
      expect.objectContaining({
        code: 'INVALID_DATA',
        details: expect.objectContaining({ api_name: 'token' }),
      }),
      expect.objectContaining({
        code: 'MANDATORY_NOT_FOUND',
        details: { api_name: 'events', json_path: '$.watch[1].events' },
      }),
      expect.objectContaining({
        code: 'INVALID_DATA',
        details: { api_name: 'events', json_path: '$.watch[2].events[0]' },
      }),
    ])
  })

  it('lists channels, removes events with PATCH _delete_events, and deletes channels', async () => {
    const { crm } = await setup()
    expect((await crm.get('/crm/v8/actions/watch')).status).toBe(204)
    await enable(crm, {
      channel_id: '55',
      events: ['Leads.create', 'Leads.edit'],
      notify_url: 'https://example.com/cb',
      token: 't',
    })
    const list = await (await crm.get('/crm/v8/actions/watch?module=Leads')).json()
    expect(list.watch).toEqual([
      expect.objectContaining({
        channel_id: '55',
        events: ['Leads.create', 'Leads.edit'],
        token: 't',
      }),
    ])
    expect(list.info).toEqual({ per_page: 200, page: 1, count: 1, more_records: false })
    const patched = await crm.patch('/crm/v8/actions/watch', {
      watch: [{ channel_id: '55', events: ['Leads.edit'], _delete_events: true }],
    })
    expect((await patched.json()).watch?.[0]?.message).toBe(
      'Successfully removed the subscribe details',
    )
    const after = await (await crm.get('/crm/v8/actions/watch')).json()
    expect(after.watch?.[0]?.events).toEqual(['Leads.create'])
    const renewed = await crm.patch('/crm/v8/actions/watch', {
      watch: [{ channel_id: '55', token: 'new' }],
    })
    expect((await renewed.json()).watch?.[0]?.message).toBe(
      'Successfully updated the subscribe details',
    )
    const removed = await crm.delete('/crm/v8/actions/watch?channel_ids=55,56')
    expect(removed.status).toBe(202)
    expect((await removed.json()).watch?.map((item) => item.code)).toEqual([
      'SUCCESS',
      'NOT_SUBSCRIBED',
    ])
  })
})
