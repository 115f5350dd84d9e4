/**
 * @module integrations/zoho/sim-process
 * Runs the Zoho simulator in a child process (tests only): memory measurements of the client
 * then see the client alone, not the simulator's buffers. Started by `startSimulatorProcess` in
 * ./testing.ts with the options as JSON in argv[2]; reports its URL over IPC and stops on
 * SIGTERM or when the parent goes away.
 */
import { startZohoSimulator } from '../../simulators/zoho/index.ts'

const options: unknown = JSON.parse(process.argv[2] ?? '{}')
const started = await startZohoSimulator(
  typeof options === 'object' && options !== null ? options : {},
)
const stop = async () => {
  await started.close()
  process.exit(0)
}
process.on('SIGTERM', () => void stop())
process.on('disconnect', () => void stop())
process.send?.({ url: started.url })
