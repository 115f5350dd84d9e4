/**
 * @module integrations/ringcentral/test-support
 * Test helpers: the RingCentral simulator with its default credentials, clients ("replicas") on it,
 * and a fetch that records every status the client saw (to prove, e.g., that no 401 happened).
 * Only tests import this file.
 */
import type { Kv } from '../../platform/kv/port.ts'
import {
  type RingCentralSimulatorOptions,
  type StartedRingCentralSimulator,
  startRingCentralSimulator,
} from '../../simulators/ringcentral/index.ts'
import {
  createRingCentralClient,
  type RingCentralClient,
  type RingCentralClientOptions,
} from './client.ts'

/** The simulator's default app credentials. */
export const simCredentials = {
  clientId: 'sim-rc-client-id',
  clientSecret: 'sim-rc-client-secret',
  jwt: 'sim-rc-jwt-credential',
} as const

/** Simulators started by {@link startSim}, closed by {@link closeAll}. */
const running: { close(): Promise<void> }[] = []

/** Starts a served simulator; close it (and every client) with {@link closeAll}. */
export const startSim = async (
  options: RingCentralSimulatorOptions = {},
): Promise<StartedRingCentralSimulator> => {
  const started = await startRingCentralSimulator(options)
  running.push(started)
  return started
}

/** A fetch that records the status of every answer, in order. */
export const recordingFetch = () => {
  const statuses: number[] = []
  const fetchImpl: typeof fetch = async (input, init) => {
    const response = await globalThis.fetch(input, init)
    statuses.push(response.status)
    return response
  }
  return { fetch: fetchImpl, statuses }
}

/** A client ("replica") on the simulator `rc`, sharing `kv` with the other replicas. */
export const replica = (
  rc: Pick<StartedRingCentralSimulator, 'url'>,
  kv: Kv,
  overrides: Partial<RingCentralClientOptions> = {},
): RingCentralClient => {
  const client = createRingCentralClient({
    serverUrl: rc.url,
    ...simCredentials,
    kv,
    ...overrides,
  })
  running.push({ close: async () => client.close() })
  return client
}

/** Closes every simulator and client started since the last call. */
export const closeAll = async (): Promise<void> => {
  const all = running.splice(0)
  await Promise.all(all.map((item) => item.close()))
}

/** `n` calls of `make`, started at once. */
export const times = <T>(n: number, make: (i: number) => Promise<T>): Promise<T>[] =>
  Array.from({ length: n }, (_, i) => make(i))

/** The `i`-th item, round robin: spreads calls over replicas. */
export const roundRobin = <T>(items: readonly T[], i: number): T => {
  const item = items[i % items.length]
  if (item === undefined) throw new Error('roundRobin needs at least one item')
  return item
}

/** Logins so far (every JWT login opens a session). */
export const logins = (rc: StartedRingCentralSimulator): number => rc.sim.state.sessions.length
