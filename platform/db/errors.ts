/**
 * @module platform/db/errors
 * Recognising database errors the same way on both adapters. PostgreSQL (node-postgres) and PGlite
 * both put the SQLSTATE in `error.code`; these helpers also look through `cause` chains, so an
 * error wrapped by a caller (or by the migration runner) is still recognised.
 */

const SQLSTATE = /^[0-9A-Z]{5}$/

/** The SQLSTATE of a PostgreSQL error (or of one in its `cause` chain); undefined for other errors. */
export const sqlState = (error: unknown): string | undefined => {
  let current: unknown = error
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth++) {
    const { code, syscall } = current as { code?: unknown; syscall?: unknown }
    // Node system errors (`EPIPE`, ...) also have a `code`, but never a SQLSTATE and a syscall.
    if (typeof code === 'string' && SQLSTATE.test(code) && syscall === undefined) return code
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}

/**
 * True for a unique violation (SQLSTATE 23505), e.g. a second INSERT of the same call effect.
 * Inside a transaction the failed statement aborts the transaction: to carry on after a conflict,
 * prefer `INSERT ... ON CONFLICT DO NOTHING` and look at `rowCount`.
 */
export const isUniqueViolation = (error: unknown): boolean => sqlState(error) === '23505'

/**
 * Thrown by `transaction()` when a statement inside failed, the work caught that error and
 * resolved anyway, and PostgreSQL therefore rolled the transaction back instead of committing it.
 * SQLSTATE 25P02 (in_failed_sql_transaction), like PGlite's own error for the same case.
 */
export class TransactionAbortedError extends Error {
  readonly code = '25P02'
  constructor() {
    super('Transaction was rolled back instead of committed: a statement in it had failed')
    this.name = 'TransactionAbortedError'
  }
}

/** A connection to PostgreSQL failed. The message names host, port, database and user, never the password. */
export class DbConnectionError extends Error {
  /** The database address without its password, e.g. `postgres://app@db:5432/callbridge`. */
  readonly target: string
  constructor(target: string, reason: string, cause: unknown) {
    super(`cannot connect to PostgreSQL at ${target}: ${reason}`, { cause })
    this.name = 'DbConnectionError'
    this.target = target
  }
}
