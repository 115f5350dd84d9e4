/**
 * @module platform/db/health
 * The `database` health check both adapters expose: one round trip that also reports the server
 * version, bounded by a timeout so a hung server or an exhausted pool shows up as a failure.
 */
import { type HealthCheck, timedCheck } from '../health/check.ts'
import type { Queryable } from './port.ts'

/** Rejects with `what timed out` when `promise` has not settled within `ms`. */
export const withTimeout = async <T>(promise: Promise<T>, ms: number, what: string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

/** A health check named `database` that runs one query on `db` and reports the server version. */
export const createDbHealthCheck = (
  db: Queryable,
  adapter: 'postgres' | 'pglite',
  timeoutMs = 5_000,
): HealthCheck => ({
  name: 'database',
  check: () =>
    timedCheck(async () => {
      const { rows } = await withTimeout(
        db.query<{ server_version: string }>(
          "SELECT current_setting('server_version') AS server_version",
        ),
        timeoutMs,
        'database health query',
      )
      return { adapter, serverVersion: rows[0]?.server_version }
    }),
})
