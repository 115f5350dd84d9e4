/**
 * @module simulators/ringcentral/start
 * Serves a simulator on 127.0.0.1: the platform API on one port, the media API on another (as
 * RingCentral's platform and media hosts), with `contentUri` links pointing at the media URL.
 */
import { serveApp } from '../shared/serve.ts'
import { createRingCentralSimulator } from './app.ts'
import type { RingCentralSimulator, RingCentralSimulatorOptions } from './types.ts'

/** A served simulator. */
export interface StartedRingCentralSimulator {
  /** Platform API base URL (the SDK's `server`), without a trailing slash. */
  readonly url: string
  /** Media API base URL (recording content). */
  readonly mediaUrl: string
  readonly sim: RingCentralSimulator
  /** Stops both servers. Deliveries still queued are not awaited (call `sim.flush()` first). */
  close(): Promise<void>
}

/**
 * Creates and serves a simulator. `port`/`mediaPort` default to free ports.
 *
 * @example
 * ```ts
 * const rc = await startRingCentralSimulator({ callLogDelayMs: 500 })
 * const sdk = new SDK({ server: rc.url, clientId: 'sim-rc-client-id', clientSecret: 'sim-rc-client-secret' })
 * await sdk.platform().login({ jwt: 'sim-rc-jwt-credential' })
 * await rc.close()
 * ```
 */
export const startRingCentralSimulator = async (
  options: RingCentralSimulatorOptions & { port?: number; mediaPort?: number } = {},
): Promise<StartedRingCentralSimulator> => {
  const { port, mediaPort, ...rest } = options
  const sim = createRingCentralSimulator(rest)
  const platform = await serveApp(sim.app, port === undefined ? {} : { port })
  let media: Awaited<ReturnType<typeof serveApp>>
  try {
    media = await serveApp(sim.mediaApp, mediaPort === undefined ? {} : { port: mediaPort })
  } catch (error) {
    await platform.close()
    throw error
  }
  sim.setBaseUrl(platform.url)
  sim.setMediaBaseUrl(media.url)
  return {
    url: platform.url,
    mediaUrl: media.url,
    sim,
    close: async () => {
      await Promise.all([platform.close(), media.close()])
    },
  }
}
