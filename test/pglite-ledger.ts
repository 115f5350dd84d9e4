/**
 * @module test/pglite-ledger
 * The ledger database of a unit test file: an embedded PGlite, migrated before the file's tests
 * and closed after them. Read it through the returned getter inside tests.
 */
import { afterAll, beforeAll } from 'vitest'
import { createPgliteDb } from '../platform/db/pglite.ts'
import type { Db } from '../platform/db/port.ts'

/** Registers the hooks in the calling test file; returns the database's getter. */
export const useMigratedPglite = (): (() => Db) => {
  let db: Db | undefined
  beforeAll(async () => {
    db = await createPgliteDb({})
    await db.migrate()
  }, 60_000)
  afterAll(async () => {
    await db?.close()
  })
  return () => {
    if (!db) throw new Error('the PGlite database is opened in beforeAll')
    return db
  }
}
