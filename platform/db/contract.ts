/**
 * @module platform/db/contract
 * The behaviour every Db adapter must show, as a vitest suite: postgres.int.test.ts runs it on a
 * real server and pglite.test.ts on PGlite, so the pipeline's SQL behaves the same on both.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { isUniqueViolation, sqlState } from './errors.ts'
import { loadMigrations } from './migrate.ts'
import type { Db, Queryable } from './port.ts'

export interface DbContractOptions {
  /**
   * Opens a second Db on the same database as `db`, to migrate from two connections at once.
   * Without it (PGlite: one connection) the same Db migrates twice concurrently.
   */
  readonly openSameDatabase?: (db: Db) => Promise<Db>
}

const claimEffect = (db: Queryable, session: string, effect: string) =>
  db.query('INSERT INTO call_effects (telephony_session_id, effect) VALUES ($1, $2)', [
    session,
    effect,
  ])

const rejection = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => {
      throw new Error('expected a rejection')
    },
    (error: unknown) => error,
  )

/**
 * Defines the shared suite. `makeDb` returns a Db on a fresh, empty database each time it is called
 * (once per test); the suite closes it after the test.
 */
export const describeDbContract = (
  name: string,
  makeDb: () => Promise<Db>,
  options: DbContractOptions = {},
): void => {
  describe(`${name} Db contract`, () => {
    let db: Db
    const others: Db[] = []

    beforeEach(async () => {
      db = await makeDb()
    })
    afterEach(async () => {
      await Promise.all(others.splice(0).map((other) => other.close()))
      await db.close()
    })

    const migrated = () => db.migrate()

    it('migrate creates the ledger tables, applying every migration in name order, then none on a rerun', async () => {
      const names = (await loadMigrations()).map((m) => m.name)
      expect(names).toContain('0001_ledger.sql')
      expect(await db.migrate()).toEqual({ applied: names })
      expect(await db.migrate()).toEqual({ applied: [] })
      const { rows } = await db.query<{ name: string; applied_at: Date }>(
        'SELECT name, applied_at FROM schema_migrations ORDER BY name',
      )
      expect(rows.map((r) => r.name)).toEqual(names)
      expect(rows[0]?.applied_at).toBeInstanceOf(Date)
      const tables = await db.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`,
      )
      expect(tables.rows.map((r) => r.table_name)).toEqual(
        expect.arrayContaining(['call_effects', 'calls', 'schema_migrations', 'settings']),
      )
    })

    it('concurrent migrations from two connections apply each migration exactly once', async () => {
      const names = (await loadMigrations()).map((m) => m.name)
      const other = options.openSameDatabase ? await options.openSameDatabase(db) : db
      if (other !== db) others.push(other)
      const [a, b] = await Promise.all([db.migrate(), other.migrate()])
      expect([...a.applied, ...b.applied].sort()).toEqual(names)
      const { rows } = await db.query('SELECT name FROM schema_migrations')
      expect(rows).toHaveLength(names.length)
    })

    it('a parameterised insert reads back text, int, bool, timestamptz, jsonb and null unchanged', async () => {
      await migrated()
      const startedAt = new Date('2025-03-04T05:06:07.123Z')
      await db.query(
        `INSERT INTO calls (telephony_session_id, direction, from_number, to_number, started_at,
           duration_s, missed, voicemail, recording_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        ['s-1', 'Inbound', '+4930123456', '+4940654321', startedAt, 42, true, false, null],
      )
      const { rows } = await db.query('SELECT * FROM calls WHERE telephony_session_id = $1', [
        's-1',
      ])
      expect(rows).toEqual([
        expect.objectContaining({
          telephony_session_id: 's-1',
          direction: 'Inbound',
          from_number: '+4930123456',
          to_number: '+4940654321',
          started_at: startedAt,
          duration_s: 42,
          missed: true,
          voicemail: false,
          recording_id: null,
          created_at: expect.any(Date),
        }),
      ])
      const value = { org: 'eu', retries: 3, ids: [1, 'two'], nested: { on: true, off: null } }
      await db.query('INSERT INTO settings (key, value) VALUES ($1, $2)', [
        'zoho',
        JSON.stringify(value),
      ])
      const settings = await db.query('SELECT value FROM settings WHERE key = $1', ['zoho'])
      expect(settings.rows).toEqual([{ value }])
    })

    it('int8 comes back as a string and int4 as a number, as node-postgres returns them', async () => {
      const { rows } = await db.query(
        'SELECT count(*) AS n, 2::int AS i, 9007199254740993::int8 AS big',
      )
      expect(rows).toEqual([{ n: '1', i: 2, big: '9007199254740993' }])
    })

    it('bytea and text[] parameters round-trip', async () => {
      const { rows } = await db.query<{ b: Uint8Array; a: string[] }>(
        'SELECT $1::bytea AS b, $2::text[] AS a',
        [new Uint8Array([0, 1, 255]), ['x', 'y z']],
      )
      expect(Array.from(rows[0]?.b ?? [])).toEqual([0, 1, 255])
      expect(rows[0]?.a).toEqual(['x', 'y z'])
    })

    it('rowCount counts the rows inserted, updated, deleted or returned', async () => {
      await migrated()
      const insert = await db.query(
        `INSERT INTO settings (key, value) VALUES ('a', '1'), ('b', '2'), ('c', '3')`,
      )
      expect(insert.rowCount).toBe(3)
      expect((await db.query(`UPDATE settings SET value = '0' WHERE key <> 'a'`)).rowCount).toBe(2)
      expect((await db.query(`UPDATE settings SET value = '0' WHERE key = 'zz'`)).rowCount).toBe(0)
      expect((await db.query(`DELETE FROM settings WHERE key = 'a'`)).rowCount).toBe(1)
      expect((await db.query('SELECT key FROM settings')).rowCount).toBe(2)
    })

    it('updating a call row moves its updated_at forward', async () => {
      await migrated()
      const past = new Date('2020-01-01T00:00:00Z')
      await db.query(
        'INSERT INTO calls (telephony_session_id, created_at, updated_at) VALUES ($1, $2, $2)',
        ['s-2', past],
      )
      await db.query('UPDATE calls SET result = $2 WHERE telephony_session_id = $1', [
        's-2',
        'Missed',
      ])
      const { rows } = await db.query<{ created_at: Date; updated_at: Date }>(
        'SELECT created_at, updated_at FROM calls WHERE telephony_session_id = $1',
        ['s-2'],
      )
      expect(rows[0]?.created_at).toEqual(past)
      expect(rows[0]?.updated_at.getTime()).toBeGreaterThan(past.getTime())
    })

    it('a transaction commits its writes and resolves with the value of the work', async () => {
      await migrated()
      const result = await db.transaction(async (tx) => {
        await tx.query(`INSERT INTO settings (key, value) VALUES ('t', '"x"')`)
        return 'done'
      })
      expect(result).toBe('done')
      expect((await db.query(`SELECT value FROM settings WHERE key = 't'`)).rows).toEqual([
        { value: 'x' },
      ])
    })

    it('a transaction rolls back its writes and rethrows the same error when the work throws', async () => {
      await migrated()
      const boom = new Error('boom')
      const error = await rejection(
        db.transaction(async (tx) => {
          await tx.query(`INSERT INTO settings (key, value) VALUES ('t', '1')`)
          throw boom
        }),
      )
      expect(error).toBe(boom)
      expect((await db.query(`SELECT 1 FROM settings WHERE key = 't'`)).rowCount).toBe(0)
    })

    it('a transaction whose failed statement the work swallowed rolls back and rejects with 25P02', async () => {
      await migrated()
      const error = await rejection(
        db.transaction(async (tx) => {
          await claimEffect(tx, 's-3', 'note')
          await claimEffect(tx, 's-3', 'note').catch(() => undefined)
          return 'swallowed'
        }),
      )
      expect(sqlState(error)).toBe('25P02')
      expect((await db.query('SELECT 1 FROM call_effects')).rowCount).toBe(0)
    })

    it('20 concurrent read-modify-write transactions with SELECT ... FOR UPDATE lose no increment', async () => {
      await migrated()
      await db.query(`INSERT INTO settings (key, value) VALUES ('counter', '0')`)
      const increment = () =>
        db.transaction(async (tx) => {
          const { rows } = await tx.query<{ value: number }>(
            `SELECT value FROM settings WHERE key = 'counter' FOR UPDATE`,
          )
          await new Promise((resolve) => setImmediate(resolve)) // give others a chance to interleave
          await tx.query(`UPDATE settings SET value = $1 WHERE key = 'counter'`, [
            JSON.stringify((rows[0]?.value ?? 0) + 1),
          ])
        })
      await Promise.all(Array.from({ length: 20 }, increment))
      const { rows } = await db.query(`SELECT value FROM settings WHERE key = 'counter'`)
      expect(rows).toEqual([{ value: 20 }])
    })

    it('claiming the same call effect twice is a unique violation that isUniqueViolation recognises', async () => {
      await migrated()
      await claimEffect(db, 's-4', 'lead')
      const direct = await rejection(claimEffect(db, 's-4', 'lead'))
      expect(isUniqueViolation(direct)).toBe(true)
      const inTransaction = await rejection(db.transaction((tx) => claimEffect(tx, 's-4', 'lead')))
      expect(isUniqueViolation(inTransaction)).toBe(true)
      const notNull = await rejection(
        db.query(`INSERT INTO settings (key, value) VALUES ('k', NULL)`),
      )
      expect(sqlState(notNull)).toBe('23502')
      expect(isUniqueViolation(notNull)).toBe(false)
    })

    it('INSERT ... ON CONFLICT DO NOTHING claims an effect once: rowCount 1, then 0', async () => {
      await migrated()
      const claim = () =>
        db.query(
          `INSERT INTO call_effects (telephony_session_id, effect, effect_key) VALUES ($1, $2, $3)
           ON CONFLICT DO NOTHING`,
          ['s-5', 'notification', 'slack'],
        )
      expect((await claim()).rowCount).toBe(1)
      expect((await claim()).rowCount).toBe(0)
    })

    it('a transaction handle refuses queries once its transaction has finished', async () => {
      let leaked: Queryable | undefined
      await db.transaction(async (tx) => {
        leaked = tx
      })
      await expect(leaked?.query('SELECT 1')).rejects.toThrow(/already finished/)
    })

    it('health reports ok with the server version', async () => {
      const status = await db.health.check()
      expect(db.health.name).toBe('database')
      expect(status).toMatchObject({
        ok: true,
        details: { serverVersion: expect.stringMatching(/^\d+/) },
      })
    })
  })
}
