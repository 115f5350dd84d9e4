/**
 * @module simulators/zoho/app
 * Assembles the simulator: Zoho Accounts (`/oauth/v2/token`), the CRM API (`/crm/v8/…`, behind
 * authentication and the API limits) and `/_sim`, on one Hono app. `api_domain` and
 * `resource_uri`s use the base URL given to `setBaseUrl`, else the origin of the last request.
 */
import { Hono } from 'hono'
import { accountsRoutes } from './accounts.ts'
import { registerAttachmentRoutes } from './attachments.ts'
import { requireToken } from './auth.ts'
import { applyFaults, controlRoutes, type FaultSettings } from './control.ts'
import { registerCoqlRoutes } from './coql.ts'
import type { Deps } from './deps.ts'
import { errorResponse, errors, ZohoHttpError } from './errors.ts'
import { createFaults, crmLimits } from './limits.ts'
import { registerNotesRoutes } from './notes.ts'
import { createNotifier } from './notify.ts'
import { resolveOptions, type ZohoSimulatorOptions } from './options.ts'
import { registerRecordRoutes } from './records.ts'
import { registerSearchRoutes } from './search.ts'
import { registerSettingsRoutes } from './settings.ts'
import { createState, type Stats } from './state.ts'
import { registerUserRoutes } from './users.ts'
import { createView, seedRecords, type ZohoRecordView, type ZohoSimStateView } from './view.ts'
import { registerWatchRoutes } from './watch.ts'

/** What `stats()` and `GET /_sim/stats` report. */
export type ZohoSimStats = Readonly<Stats>

/** A running simulator (see ./README.md). */
export interface ZohoSimulator {
  /** Accounts, CRM and `/_sim` on one app. */
  readonly app: Hono
  /** The URL clients reach the app at; returned as `api_domain` and in `resource_uri`s. */
  setBaseUrl(url: string): void
  /** Read-only views of records, notes, attachments, channels, callbacks, users and tokens. */
  readonly state: ZohoSimStateView
  /** Answers a share of CRM calls with 429 or 500; a `seed` restarts the PRNG. */
  setFaults(faults: FaultSettings): void
  stats(): ZohoSimStats
  /** Stores records directly: no validation, no callbacks, searchable at once. */
  seed(module: string, records: readonly Readonly<Record<string, unknown>>[]): ZohoRecordView[]
  /** Resolves when every notification callback sent so far has been answered or has failed. */
  flush(): Promise<void>
}

/**
 * Creates a Zoho CRM v8 + Zoho Accounts simulator.
 *
 * @example
 * ```ts
 * const sim = createZohoSimulator({ indexLagMs: 2000 })
 * const res = await sim.app.request('/oauth/v2/token?grant_type=refresh_token&client_id=sim-zoho-client-id&client_secret=sim-zoho-client-secret&refresh_token=sim-zoho-refresh-token', { method: 'POST' })
 * const { access_token } = await res.json()
 * ```
 */
export const createZohoSimulator = (simOptions: ZohoSimulatorOptions = {}): ZohoSimulator => {
  const options = resolveOptions(simOptions)
  const state = createState()
  const faults = createFaults()
  let baseUrl: string | null = null
  let lastOrigin = 'http://127.0.0.1'
  const apiDomain = () => baseUrl ?? lastOrigin
  const notifier = createNotifier(state, options, apiDomain)
  const deps: Deps = { state, options, notifier, apiDomain }

  const app = new Hono()
  app.onError((error, c) => {
    if (!(error instanceof ZohoHttpError)) return errorResponse(c, errors.internal())
    if (error.status === 429) state.stats.served429 += 1
    if (error.status === 500) state.stats.served500 += 1
    return errorResponse(c, error)
  })
  app.use('*', async (c, next) => {
    lastOrigin = new URL(c.req.url).origin
    await next()
  })
  app.route('/', accountsRoutes(state, options, apiDomain))
  app.route('/', controlRoutes(deps, faults))
  app.use('/crm/*', async (_c, next) => {
    state.stats.requests += 1
    await next()
  })
  app.use('/crm/*', requireToken(state, options))
  app.use('/crm/*', crmLimits(state, options, faults))
  registerSettingsRoutes(app, deps)
  registerUserRoutes(app, deps)
  registerWatchRoutes(app, deps)
  registerNotesRoutes(app, deps)
  registerSearchRoutes(app, deps)
  registerCoqlRoutes(app, deps)
  registerAttachmentRoutes(app, deps)
  registerRecordRoutes(app, deps)
  app.notFound((c) => errorResponse(c, errors.invalidUrl()))

  return {
    app,
    setBaseUrl(url) {
      baseUrl = url.replace(/\/+$/, '')
    },
    state: createView(deps),
    setFaults: (settings) => applyFaults(faults, settings),
    stats: () => ({ ...state.stats }),
    seed: (module, records) => seedRecords(deps, module, records),
    flush: () => notifier.flush(),
  }
}
