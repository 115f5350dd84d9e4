/**
 * @module consumers/lead-matcher/fixture-hooks
 * The lead-matcher test files' shared setup: one migrated PGlite ledger per file, and fixtures
 * (consumers/lead-matcher/testing.ts) opened per test and closed after it.
 */
import { afterEach } from 'vitest'
import type { Db } from '../../platform/db/port.ts'
import { useMigratedPglite } from '../../test/pglite-ledger.ts'
import {
  type LeadMatcherFixture,
  type LeadMatcherFixtureOptions,
  openLeadMatcher,
} from './testing.ts'

export interface LeadMatcherHooks {
  /** Opens a fixture on the file's ledger; closed after the test. */
  start(options?: Omit<LeadMatcherFixtureOptions, 'db'>): Promise<LeadMatcherFixture>
  /** The file's ledger database (set once beforeAll has run). */
  db(): Db
}

/** Registers the hooks in the calling test file. */
export const useLeadMatcherFixtures = (): LeadMatcherHooks => {
  const ledgerDb = useMigratedPglite()
  let open: LeadMatcherFixture[] = []
  afterEach(async () => {
    await Promise.all(open.map((fx) => fx.close()))
    open = []
  })
  return {
    start: async (options = {}) => {
      const fx = await openLeadMatcher({ db: ledgerDb(), ...options })
      open.push(fx)
      return fx
    },
    db: ledgerDb,
  }
}
