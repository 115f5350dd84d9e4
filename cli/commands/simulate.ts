/**
 * @module cli/commands/simulate
 * `callbridge simulate ringcentral|zoho [--port N]`: runs a simulator standalone, prints its URLs
 * and the settings to point callbridge at it, and stops on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util'

export const simulate = async (
  args: readonly string[],
  { print, untilStopped }: { print: (text: string) => void; untilStopped: Promise<unknown> },
): Promise<number> => {
  const { positionals, values } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { port: { type: 'string' }, 'media-port': { type: 'string' } },
  })
  const which = positionals[0]
  const port = values.port ? Number(values.port) : 0
  if (which === 'ringcentral') {
    const { startRingCentralSimulator } = await import('../../simulators/ringcentral/index.ts')
    const mediaPort = values['media-port'] ? Number(values['media-port']) : 0
    const sim = await startRingCentralSimulator({ port, mediaPort })
    print(
      `RingCentral simulator on ${sim.url} (media ${sim.mediaUrl}); control API: ${sim.url}/_sim/state`,
    )
    print(
      `  RINGCENTRAL_SERVER_URL=${sim.url} RINGCENTRAL_CLIENT_ID=sim-rc-client-id RINGCENTRAL_CLIENT_SECRET=sim-rc-client-secret RINGCENTRAL_JWT=sim-rc-jwt-credential`,
    )
    await untilStopped
    await sim.close()
    return 0
  }
  if (which === 'zoho') {
    const { startZohoSimulator } = await import('../../simulators/zoho/index.ts')
    const sim = await startZohoSimulator({ port })
    print(`Zoho simulator on ${sim.url}; control API: ${sim.url}/_sim/stats`)
    print(
      `  ZOHO_ACCOUNTS_URL=${sim.url} ZOHO_CLIENT_ID=sim-zoho-client-id ZOHO_CLIENT_SECRET=sim-zoho-client-secret ZOHO_REFRESH_TOKEN=sim-zoho-refresh-token`,
    )
    await untilStopped
    await sim.close()
    return 0
  }
  print('usage: callbridge simulate ringcentral|zoho [--port N] [--media-port N]')
  return 2
}
