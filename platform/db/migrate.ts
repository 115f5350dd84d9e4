/**
 * @module platform/db/migrate
 * The migration runner both adapters share. Migrations are the `.sql` files in ./migrations,
 * applied in name order (`0001_ledger.sql`, `0002_...`), each in its own transaction together with
 * its row in `schema_migrations`, so a failed migration leaves nothing behind. A transaction-scoped
 * advisory lock serialises runners, so replicas starting at once apply each migration once.
 */
import { readdir, readFile } from 'node:fs/promises'
import type { Queryable } from './port.ts'

/** A transaction handle that can also run a script of several statements (a migration file). */
export interface MigrationTx extends Queryable {
  /** Runs `script` (any number of statements, no parameters) in the transaction. */
  execScript(script: string): Promise<void>
}

/** Runs `work` in one transaction: committed when it resolves, rolled back when it rejects. */
export type MigrationTransaction = <T>(work: (tx: MigrationTx) => Promise<T>) => Promise<T>

/** One migration: its file name (which orders it and records it) and its SQL. */
export interface Migration {
  readonly name: string
  readonly sql: string
}

/** The folder holding the migration files. */
export const migrationsDir = new URL('./migrations/', import.meta.url)

/**
 * An arbitrary constant key for `pg_advisory_xact_lock`, shared by every process migrating this
 * database. Released automatically when the transaction holding it ends.
 */
const LOCK_KEY = 726_102_001

const lock = `SELECT pg_advisory_xact_lock(${LOCK_KEY})`

const createTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
  name text PRIMARY KEY,
  applied_at timestamptz NOT NULL DEFAULT now()
)`

/** Reads the `.sql` files of `dir` (default ./migrations), sorted by name. */
export const loadMigrations = async (dir: URL = migrationsDir): Promise<Migration[]> => {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.sql'))
  names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  return Promise.all(
    names.map(async (name) => ({ name, sql: await readFile(new URL(name, dir), 'utf8') })),
  )
}

/**
 * Applies the migrations not recorded in `schema_migrations` yet, in name order, each in its own
 * transaction run by `transaction`. Returns the names applied by this call (none when another
 * process got there first). A failing migration rejects with its name in the message and the
 * database error as `cause`; the migrations before it stay applied.
 */
export const runMigrations = async (
  transaction: MigrationTransaction,
  migrations?: readonly Migration[],
): Promise<{ applied: string[] }> => {
  const all = migrations ?? (await loadMigrations())
  const done = await transaction(async (tx) => {
    await tx.query(lock)
    await tx.query(createTable)
    const { rows } = await tx.query<{ name: string }>('SELECT name FROM schema_migrations')
    return new Set(rows.map((row) => row.name))
  })
  const applied: string[] = []
  for (const migration of all) {
    if (done.has(migration.name)) continue
    const appliedNow = await transaction(async (tx) => {
      await tx.query(lock)
      const seen = await tx.query('SELECT 1 FROM schema_migrations WHERE name = $1', [
        migration.name,
      ])
      if (seen.rowCount > 0) return false
      try {
        await tx.execScript(migration.sql)
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error)
        throw new Error(`migration ${migration.name} failed: ${reason}`, { cause: error })
      }
      await tx.query('INSERT INTO schema_migrations (name) VALUES ($1)', [migration.name])
      return true
    })
    if (appliedNow) applied.push(migration.name)
  }
  return { applied }
}
