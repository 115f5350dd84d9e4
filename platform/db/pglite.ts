/**
 * @module platform/db/pglite
 * The Db port on PGlite: PostgreSQL compiled to WebAssembly, in this process, in memory or in a
 * folder. PGlite has a single connection, so this adapter runs one thing at a time: a mutex queues
 * queries and whole transactions in arrival order. Calling `db.query()` or `db.transaction()` from
 * inside a transaction's work (instead of `tx.query()`) would wait for itself forever; it throws.
 * Values come back as node-postgres returns them (int8 as a string, timestamptz as a Date).
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { PGlite, type Results, types } from '@electric-sql/pglite'
import { createDbHealthCheck } from './health.ts'
import { type MigrationTx, runMigrations } from './migrate.ts'
import type { Db, QueryResult, SqlParam } from './port.ts'

export interface PgliteDbOptions {
  /** Folder holding the database (created when missing); undefined keeps it in memory only. */
  readonly dataDir?: string
  /** A `dumpDataDir()` tarball to start from instead of an empty cluster (fast test fixtures). */
  readonly loadDataDir?: Blob
}

/** Runs tasks one at a time, in the order they were queued. */
const createMutex = () => {
  let tail: Promise<unknown> = Promise.resolve()
  return <T>(task: () => Promise<T>): Promise<T> => {
    const result = tail.then(task)
    tail = result.catch(() => undefined)
    return result
  }
}

const toResult = <Row>(result: Results<Row>): QueryResult<Row> => ({
  rows: result.rows,
  // rowCount is the command tag's count (rows returned, inserted, updated or deleted); statements
  // without one (CREATE, SHOW) fall back to the rows returned, as node-postgres does.
  rowCount: result.rowCount ?? (result.rows.length || result.affectedRows || 0),
})

/** Opens (and on first use creates) the database; resolves once PGlite has started. */
export const createPgliteDb = async (options: PgliteDbOptions = {}): Promise<Db> => {
  const dataDir = options.dataDir === undefined ? undefined : path.resolve(options.dataDir)
  if (dataDir !== undefined) await mkdir(dataDir, { recursive: true }) // PGlite creates only the last level
  const pglite = await PGlite.create(dataDir, {
    // int8 as a string, like node-postgres: a JS number cannot hold every int8 exactly.
    parsers: { [types.INT8]: (value: string) => value },
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
  })
  const exclusive = createMutex()
  const insideTransaction = new AsyncLocalStorage<{ active: boolean }>()
  let closed: Promise<void> | undefined

  const checkUsable = (what: string) => {
    if (closed) throw new Error('the PGlite database has been closed')
    if (insideTransaction.getStore()?.active) {
      throw new Error(
        `db.${what}() called inside a transaction: use the transaction's tx.query() (PGlite has one connection, so this would deadlock)`,
      )
    }
  }

  const query = async <Row = Record<string, unknown>>(
    sql: string,
    params?: readonly SqlParam[],
  ): Promise<QueryResult<Row>> => {
    checkUsable('query')
    return exclusive(async () => toResult(await pglite.query<Row>(sql, params ? [...params] : [])))
  }

  const inTransaction = async <T>(work: (tx: MigrationTx) => Promise<T>): Promise<T> => {
    checkUsable('transaction')
    return exclusive(() =>
      // PGlite's transaction() sends BEGIN, COMMIT or (when work rejects) ROLLBACK, rejects with
      // SQLSTATE 25P02 when a failed statement turned COMMIT into a rollback, and syncs a
      // folder-backed database to disk once at the end instead of after every statement.
      pglite.transaction(async (ptx) => {
        const state = { active: true }
        const guard = () => {
          if (!state.active)
            throw new Error('this transaction has already finished: use db.query()')
        }
        const tx: MigrationTx = {
          query: async <Row>(sql: string, params?: readonly SqlParam[]) => {
            guard()
            return toResult(await ptx.query<Row>(sql, params ? [...params] : []))
          },
          execScript: async (script) => {
            guard()
            await ptx.exec(script)
          },
        }
        try {
          return await insideTransaction.run(state, () => work(tx))
        } finally {
          state.active = false
        }
      }),
    )
  }

  return {
    query,
    transaction: (work) => inTransaction(work),
    migrate: () => runMigrations(inTransaction),
    health: createDbHealthCheck({ query }, 'pglite'),
    close: () => {
      // Queued work finishes first; later calls fail with "has been closed".
      closed ??= exclusive(() => pglite.close())
      return closed
    },
  }
}
