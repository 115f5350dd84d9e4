/**
 * @module simulators/zoho/control
 * `/_sim`: the test and benchmark control surface (documented in ./README.md). Not part of Zoho;
 * no authentication, limits or faults.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { seededRandom } from '../shared/seeded-random.ts'
import type { Deps } from './deps.ts'
import type { Faults } from './limits.ts'
import { emptyStats } from './state.ts'
import { createView, seedRecords } from './view.ts'

/** Body of `POST /_sim/faults` and the argument of `setFaults`. */
export const FaultSettings = z.object({
  status429Rate: z.number().min(0).max(1).optional(),
  status500Rate: z.number().min(0).max(1).optional(),
  seed: z.number().int().optional(),
})
export type FaultSettings = z.infer<typeof FaultSettings>

const SeedBody = z.union([
  z.array(z.record(z.string(), z.unknown())),
  z.object({ data: z.array(z.record(z.string(), z.unknown())) }),
])

/** Applies fault settings; a given `seed` restarts the PRNG. */
export const applyFaults = (faults: Faults, settings: FaultSettings) => {
  if (settings.status429Rate !== undefined) faults.status429Rate = settings.status429Rate
  if (settings.status500Rate !== undefined) faults.status500Rate = settings.status500Rate
  if (settings.seed !== undefined) faults.random = seededRandom(settings.seed)
}

export const controlRoutes = (deps: Deps, faults: Faults): Hono => {
  const { state, options } = deps
  const view = createView(deps)
  const app = new Hono()
  const body = async <T>(request: Request, schema: z.ZodType<T>) =>
    schema.safeParse(await request.json().catch(() => undefined))

  app.get('/_sim/records/:module', (c) => {
    try {
      return c.json({ data: view.records(c.req.param('module')) })
    } catch {
      return c.json({ error: `unknown module ${c.req.param('module')}` }, 404)
    }
  })
  app.post('/_sim/records/:module', async (c) => {
    const parsed = await body(c.req.raw, SeedBody)
    if (!parsed.success) return c.json({ error: parsed.error.message }, 400)
    const records = Array.isArray(parsed.data) ? parsed.data : parsed.data.data
    try {
      return c.json({ data: seedRecords(deps, c.req.param('module'), records) }, 201)
    } catch {
      return c.json({ error: `unknown module ${c.req.param('module')}` }, 404)
    }
  })
  app.get('/_sim/notes', (c) => c.json({ data: view.notes() }))
  app.get('/_sim/attachments', (c) => c.json({ data: view.attachments() }))
  app.get('/_sim/channels', (c) => c.json({ data: view.channels() }))
  app.get('/_sim/callbacks', (c) => c.json({ data: view.callbacks() }))
  app.get('/_sim/users', (c) => c.json({ data: view.users() }))
  app.get('/_sim/stats', (c) => c.json({ ...state.stats }))
  app.post('/_sim/faults', async (c) => {
    const parsed = await body(c.req.raw, FaultSettings)
    if (!parsed.success) return c.json({ error: parsed.error.message }, 400)
    applyFaults(faults, parsed.data)
    return c.json({ status429Rate: faults.status429Rate, status500Rate: faults.status500Rate })
  })
  app.post('/_sim/reset-stats', (c) => {
    Object.assign(state.stats, emptyStats(), { peakConcurrency: state.inFlight })
    return c.json({ ...state.stats })
  })
  app.post('/_sim/expire-tokens', (c) => {
    const now = options.now()
    for (const entry of state.tokens.values()) entry.expiresAt = Math.min(entry.expiresAt, now)
    return c.json({ expired: state.tokens.size })
  })
  return app
}
