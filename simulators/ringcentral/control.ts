/**
 * @module simulators/ringcentral/control
 * The `/_sim` control and inspection API (no auth; a test tool, never exposed): place calls, set
 * faults, expire tokens, move the clock, and read state, deliveries and counters. Documented in
 * this folder's README.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { readJson, requireJson } from './body.ts'
import { invalidParameter } from './errors.ts'
import { sessionViews } from './sessions.ts'
import { findExtension, type SimCore } from './state.ts'
import type { CallSpec, Faults, RingCentralSimulator, SimCall } from './types.ts'
import { callLogViews, statsOf, subscriptionViews, summaryOf } from './views.ts'

const Probability = z.number().min(0).max(1)

/** A {@link CallSpec} as JSON. */
export const CallSpecSchema = z.object({
  direction: z.enum(['Inbound', 'Outbound']),
  from: z.string().regex(/^\+[1-9]\d{3,14}$/),
  to: z.string().regex(/^\+?\d{3,15}$/),
  extensionId: z.string().min(1).optional(),
  result: z.enum(['answered', 'missed', 'voicemail']),
  durationS: z.number().int().min(1).max(86_400).optional(),
  recording: z.boolean().optional(),
  transferTo: z.string().min(1).optional(),
  callerName: z.string().min(1).optional(),
  faults: z
    .object({
      duplicate: z.number().min(0).max(10).optional(),
      reorder: z.boolean().optional(),
      drop: Probability.optional(),
      delayMs: z.number().int().min(0).max(60_000).optional(),
    })
    .optional(),
}) satisfies z.ZodType<CallSpec>

/** {@link Faults} as JSON. */
export const FaultsSchema = z.object({
  webhookDrop: Probability.optional(),
  duplicate: z.number().min(0).max(10).optional(),
  reorder: z.boolean().optional(),
  delayMs: z.number().int().min(0).max(60_000).optional(),
  tokenExpiry: z.number().int().min(0).optional(),
  serviceUnavailable: Probability.optional(),
}) satisfies z.ZodType<Faults>

const Advance = z.object({ ms: z.number().int().min(0) })
const ExpireTokens = z.object({ refresh: z.boolean().optional() })

/** What the control API drives. */
export type ControlTarget = Pick<
  RingCentralSimulator,
  'placeCall' | 'setFaults' | 'flush' | 'advance' | 'expireTokens' | 'expireSyncTokens'
>

/** The `/_sim` routes. */
export const controlRoutes = (core: SimCore, sim: ControlTarget): Hono => {
  const app = new Hono()

  app.get('/state', (c) => c.json(summaryOf(core)))
  app.get('/stats', (c) => c.json(statsOf(core)))
  app.get('/calls', (c) => c.json(core.calls))
  app.post('/calls', async (c) => {
    const spec = await requireJson(c.req.raw, CallSpecSchema)
    for (const [name, id] of [
      ['extensionId', spec.extensionId],
      ['transferTo', spec.transferTo],
    ] as const) {
      if (id !== undefined && !findExtension(core, id)) throw invalidParameter(name)
    }
    const call: SimCall = await sim.placeCall(spec)
    return c.json(call)
  })
  app.get('/subscriptions', (c) => c.json(subscriptionViews(core)))
  app.get('/deliveries', (c) => {
    const { subscriptionId, telephonySessionId, outcome } = c.req.query()
    return c.json(
      core.deliveries.filter(
        (d) =>
          (subscriptionId === undefined || d.subscriptionId === subscriptionId) &&
          (telephonySessionId === undefined || d.telephonySessionId === telephonySessionId) &&
          (outcome === undefined || d.outcome === outcome),
      ),
    )
  })
  app.get('/sms', (c) => c.json(core.sms))
  app.get('/sessions', (c) => c.json(sessionViews(core)))
  app.get('/call-log', (c) => c.json(callLogViews(core)))
  app.get('/faults', (c) => c.json(core.faults))
  app.post('/faults', async (c) => {
    sim.setFaults(await requireJson(c.req.raw, FaultsSchema))
    return c.json(core.faults)
  })
  app.post('/expire-tokens', async (c) => {
    const body = await readJson(c.req.raw, ExpireTokens, { allowEmpty: true })
    return c.json({ expired: sim.expireTokens({ refresh: body?.refresh ?? false }) })
  })
  app.post('/expire-sync-tokens', (c) => {
    sim.expireSyncTokens()
    return c.json({ syncEpoch: core.syncEpoch })
  })
  app.post('/advance', async (c) => {
    sim.advance((await requireJson(c.req.raw, Advance)).ms)
    return c.json({ now: new Date(core.now()).toISOString() })
  })
  app.post('/flush', async (c) => {
    await sim.flush()
    return c.json({ deliveries: core.deliveries.length })
  })

  return app
}
