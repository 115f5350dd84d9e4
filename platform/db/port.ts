/**
 * @module platform/db/port
 * The relational store (ledger, admin settings). PostgreSQL in production (postgres.ts), PGlite —
 * PostgreSQL compiled to WebAssembly — in one-process mode (pglite.ts), so both run the same SQL
 * and the same migrations (migrations/*.sql). Both pass the same contract suite (contract.ts).
 */
import type { HealthCheck } from '../health/check.ts'

export type SqlParam = string | number | boolean | null | Date | Uint8Array | readonly unknown[]

export interface QueryResult<Row> {
  readonly rows: Row[]
  /** Rows inserted, updated, deleted or returned. */
  readonly rowCount: number
}

export interface Queryable {
  /** Runs one statement with `$1`-style parameters. */
  query<Row = Record<string, unknown>>(
    sql: string,
    params?: readonly SqlParam[],
  ): Promise<QueryResult<Row>>
}

export interface Db extends Queryable {
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it rejects. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>
  /** Applies the migrations not applied yet, in order, each in its own transaction. */
  migrate(): Promise<{ applied: string[] }>
  readonly health: HealthCheck
  close(): Promise<void>
}
