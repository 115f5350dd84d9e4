/**
 * @module platform/db/lazy
 * A Db that connects (and migrates) on first use. Roles that never touch the database, like the
 * gateway, then cost no connection pool and no embedded PostgreSQL in memory.
 */
import type { HealthStatus } from '../health/check.ts'
import type { Db } from './port.ts'

export const createLazyDb = (open: () => Promise<Db>, name = 'database'): Db => {
  let opened: Promise<Db> | undefined
  const db = () => {
    opened ??= open().then(async (d) => {
      await d.migrate()
      return d
    })
    opened.catch(() => {
      opened = undefined // the next use tries again
    })
    return opened
  }
  return {
    query: async (sql, params) => (await db()).query(sql, params),
    transaction: async (work) => (await db()).transaction(work),
    migrate: async () => (await db()).migrate(),
    health: {
      name,
      check: async (): Promise<HealthStatus> =>
        opened
          ? (await db()).health.check()
          : { ok: true, latencyMs: 0, details: { state: 'not used by these roles' } },
    },
    close: async () => {
      if (opened) await (await opened).close()
    },
  }
}
