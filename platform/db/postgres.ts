/**
 * @module platform/db/postgres
 * The Db port on a PostgreSQL server, through a node-postgres connection pool. Connection failures
 * become DbConnectionError naming host, port, database and user (never the password); errors of
 * statements are node-postgres' own DatabaseError, with the SQLSTATE in `code`.
 */
import { DatabaseError, type QueryResult as PgResult, Pool, type PoolClient } from 'pg'
import { DbConnectionError, TransactionAbortedError } from './errors.ts'
import { createDbHealthCheck } from './health.ts'
import { type MigrationTx, runMigrations } from './migrate.ts'
import type { Db, QueryResult, SqlParam } from './port.ts'

export interface PostgresDbOptions {
  /** `postgres://user:password@host:port/database` (the DATABASE_URL). */
  readonly url: string
  /** Most connections the pool opens. Default 10. */
  readonly max?: number
  /** How long a query waits for a connection (a new one, or a free one from the pool). Default 10 s. */
  readonly connectTimeoutMs?: number
  /**
   * Called when an idle pooled connection fails (the server restarted, a proxy dropped it). The
   * pool discards that connection and opens a new one when needed. Default: ignore.
   */
  readonly onIdleError?: (error: Error) => void
}

/** `url` without its password, for messages and logs: `postgres://app@db:5432/callbridge`. */
export const redactDatabaseUrl = (url: string): string => {
  try {
    const u = new URL(url)
    u.password = ''
    u.search = ''
    return u.toString()
  } catch {
    return 'postgres://(unparseable DATABASE_URL)'
  }
}

const passwordOf = (url: string): string | undefined => {
  try {
    return decodeURIComponent(new URL(url).password) || undefined
  } catch {
    return undefined
  }
}

const toResult = <Row>(result: PgResult): QueryResult<Row> => ({
  rows: result.rows as Row[],
  rowCount: result.rowCount ?? result.rows.length,
})

/** Creates the Db on a pool; connections are opened on first use, so this never fails or waits. */
export const createPostgresDb = (options: PostgresDbOptions): Db => {
  const target = redactDatabaseUrl(options.url)
  const password = passwordOf(options.url)
  const pool = new Pool({
    connectionString: options.url,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
  })
  const onIdleError = options.onIdleError ?? (() => {})
  // Without a listener an idle connection's error would crash the process.
  pool.on('error', (error) => onIdleError(error))
  let closed: Promise<void> | undefined

  const connect = async (): Promise<PoolClient> => {
    if (closed) throw new Error(`the database at ${target} has been closed`)
    try {
      return await pool.connect()
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      const reason = password ? message.replaceAll(password, '***') : message
      throw new DbConnectionError(target, reason || 'connection failed', error)
    }
  }

  /** Gives `client` back to the pool, or destroys it when it failed in a way that may break it. */
  const release = (client: PoolClient, error?: unknown) => {
    if (error === undefined || error instanceof DatabaseError) client.release()
    else client.release(error instanceof Error ? error : new Error(String(error)))
  }

  const run = async <Row>(client: PoolClient, sql: string, params?: readonly SqlParam[]) =>
    toResult<Row>(await client.query(sql, params ? [...params] : undefined))

  const inTransaction = async <T>(work: (tx: MigrationTx) => Promise<T>): Promise<T> => {
    const client = await connect()
    let finished = false
    const guard = () => {
      if (finished) throw new Error('this transaction has already finished: use db.query()')
    }
    const tx: MigrationTx = {
      query: async (sql, params) => {
        guard()
        return run(client, sql, params)
      },
      execScript: async (script) => {
        guard()
        await client.query(script) // no parameters: the simple protocol, several statements allowed
      },
    }
    try {
      await client.query('BEGIN')
      const result = await work(tx)
      finished = true
      const commit = await client.query('COMMIT')
      // PostgreSQL answers COMMIT of a transaction aborted by a failed statement with ROLLBACK.
      if (commit.command === 'ROLLBACK') throw new TransactionAbortedError()
      release(client)
      return result
    } catch (error) {
      finished = true
      try {
        await client.query('ROLLBACK')
        release(client)
      } catch (rollbackError) {
        release(client, rollbackError)
      }
      throw error
    }
  }

  const query = async <Row = Record<string, unknown>>(
    sql: string,
    params?: readonly SqlParam[],
  ): Promise<QueryResult<Row>> => {
    const client = await connect()
    try {
      const result = await run<Row>(client, sql, params)
      release(client)
      return result
    } catch (error) {
      release(client, error)
      throw error
    }
  }

  return {
    query,
    transaction: (work) => inTransaction(work),
    migrate: () => runMigrations(inTransaction),
    health: createDbHealthCheck({ query }, 'postgres'),
    close: () => {
      closed ??= pool.end()
      return closed
    },
  }
}
