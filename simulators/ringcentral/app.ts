/**
 * @module simulators/ringcentral/app
 * Wires the simulator: the shared core, the rate limiter, the delivery engine and the call placer,
 * then the platform app (OAuth, Subscription, Call Log, Call Log Sync, Recording, SMS and `/_sim`)
 * and the media app (recording content).
 */
import { Hono } from 'hono'
import { bearer, type SimEnv, serviceFaults } from './bearer.ts'
import { callLogRoutes } from './call-log.ts'
import { callLogSyncRoutes } from './call-log-sync.ts'
import { createCallPlacer } from './calls.ts'
import { controlRoutes } from './control.ts'
import { createDeliverer } from './deliveries.ts'
import { onRingCentralError, onUnknownPath } from './errors.ts'
import { oauthRoutes } from './oauth.ts'
import { createRateLimiter } from './rate-limit.ts'
import { createMediaApp, recordingRoutes } from './recordings.ts'
import { expireTokens } from './sessions.ts'
import { smsRoutes } from './sms.ts'
import { createSimCore } from './state.ts'
import { sendDueReminders, subscriptionRoutes } from './subscriptions.ts'
import type { Faults, RingCentralSimulator, RingCentralSimulatorOptions } from './types.ts'
import { stateViews, statsOf } from './views.ts'

const withoutTrailingSlash = (url: string) => url.replace(/\/+$/, '')

/**
 * Creates a RingCentral simulator. Serve `app` and `mediaApp` (see `startRingCentralSimulator`),
 * or call `app.request()` in-process.
 *
 * @example
 * ```ts
 * const sim = createRingCentralSimulator({ callLogDelayMs: 0, rateLimits: false })
 * await sim.placeCall({ direction: 'Inbound', from: '+15550111', to: '+15550100', result: 'answered' })
 * await sim.flush()
 * ```
 */
export const createRingCentralSimulator = (
  options: RingCentralSimulatorOptions = {},
): RingCentralSimulator => {
  const core = createSimCore(options)
  const limiter = createRateLimiter(core)
  const deliverer = createDeliverer(core)
  const placeCall = createCallPlacer(core, deliverer)

  const control = {
    placeCall,
    setFaults: (faults: Faults) => {
      core.faults = { ...faults }
    },
    flush: () => deliverer.flush(),
    advance: (ms: number) => {
      core.advance(ms)
      sendDueReminders(core, deliverer)
    },
    expireTokens: (o: { refresh?: boolean } = {}) => expireTokens(core, o),
    expireSyncTokens: () => {
      core.syncEpoch++
    },
  }

  const api = new Hono<SimEnv>()
  api.use('/restapi/v1.0/*', bearer(core))
  api.route('/', subscriptionRoutes(core, limiter))
  api.route('/', callLogRoutes(core, limiter))
  api.route('/', callLogSyncRoutes(core, limiter))
  api.route('/', recordingRoutes(core, limiter))
  api.route('/', smsRoutes(core, limiter))

  const app = new Hono()
  app.onError(onRingCentralError)
  app.notFound(onUnknownPath)
  app.route('/_sim', controlRoutes(core, control))
  app.use('/restapi/*', async (_c, next) => {
    sendDueReminders(core, deliverer)
    await next()
  })
  app.use('/restapi/*', serviceFaults(core))
  app.route('/', oauthRoutes(core, limiter))
  app.route('/', api)

  return {
    app,
    mediaApp: createMediaApp(core, limiter),
    ...control,
    state: stateViews(core),
    setMediaBaseUrl: (url) => {
      core.urls.media = withoutTrailingSlash(url)
    },
    setBaseUrl: (url) => {
      core.urls.platform = withoutTrailingSlash(url)
    },
    stats: () => statsOf(core),
    now: () => core.now(),
  }
}
