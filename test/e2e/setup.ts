/**
 * @module test/e2e/setup
 * One harness per describe block: started (with a lead and a contact the CRM knows before the
 * first call) before its tests, closed after them. Skipped only when a service is missing
 * outside CI; with CALLBRIDGE_REQUIRE_SERVICES=1 a missing service fails instead.
 */
import { afterAll, beforeAll } from 'vitest'
import { serviceAvailable } from '../services.ts'
import { type Harness, startHarness } from './harness.ts'
import { type KnownPerson, type RunNumbers, runNumbers, seedKnownPeople } from './scenario.ts'

/** Whether Kafka (for the jars' broker), Redis and PostgreSQL can be used. */
export const e2eServicesAvailable = async (): Promise<boolean> =>
  (await serviceAvailable('KAFKA_BROKERS')) &&
  (await serviceAvailable('REDIS_URL')) &&
  (await serviceAvailable('DATABASE_URL'))

export interface E2eRun {
  readonly numbers: RunNumbers
  /** Set once beforeAll has run. */
  harness: Harness
  known: { lead: KnownPerson; contact: KnownPerson }
}

/** Registers the harness of the enclosing describe block; read its fields inside tests. */
export const useHarness = (name: string, redisDb: number): E2eRun => {
  const run = { numbers: runNumbers() } as E2eRun
  beforeAll(async () => {
    run.harness = await startHarness({
      name,
      redisDb,
      seedZoho: (zoho) => {
        run.known = seedKnownPeople(zoho, run.numbers)
      },
    })
  }, 180_000)
  afterAll(async () => {
    await run.harness?.close()
  }, 90_000)
  return run
}
