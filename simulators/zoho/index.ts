/**
 * @module simulators/zoho
 * A faithful Zoho CRM (API v8) + Zoho Accounts simulator for tests, benchmarks and demos. See
 * ./README.md for the endpoints, the behaviours modelled and `/_sim`.
 */
import { serveApp } from '../shared/serve.ts'
import { createZohoSimulator, type ZohoSimulator } from './app.ts'
import type { ZohoSimulatorOptions } from './options.ts'

export type { ZohoSimStats, ZohoSimulator } from './app.ts'
export { createZohoSimulator } from './app.ts'
export type { FaultSettings as ZohoFaultSettings } from './control.ts'
export type { ZohoSimulatorOptions } from './options.ts'
export type { CallbackAttempt as ZohoCallbackAttempt } from './state.ts'
export type {
  ZohoAttachmentView,
  ZohoChannelView,
  ZohoRecordView,
  ZohoSimStateView,
} from './view.ts'

/** A simulator served over HTTP. */
export interface StartedZohoSimulator {
  /** Base URL, e.g. `http://127.0.0.1:41234` (also the `api_domain` it returns). */
  readonly url: string
  readonly sim: ZohoSimulator
  /** Waits for pending callbacks, then stops the server. */
  close(): Promise<void>
}

/**
 * Creates a simulator and serves it on 127.0.0.1 (`port` 0, the default, picks a free one).
 *
 * @example
 * ```ts
 * const { url, sim, close } = await startZohoSimulator({ latencyMs: 100 })
 * // token URL: `${url}/oauth/v2/token`; API base: `${url}/crm/v8`
 * await close()
 * ```
 */
export const startZohoSimulator = async (
  options: ZohoSimulatorOptions & { port?: number } = {},
): Promise<StartedZohoSimulator> => {
  const { port = 0, ...simOptions } = options
  const sim = createZohoSimulator(simOptions)
  const served = await serveApp(sim.app, { port })
  sim.setBaseUrl(served.url)
  return {
    url: served.url,
    sim,
    close: async () => {
      await sim.flush()
      await served.close()
    },
  }
}
