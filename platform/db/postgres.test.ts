import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { DbConnectionError } from './errors.ts'
import { createPostgresDb, redactDatabaseUrl } from './postgres.ts'

describe('postgres adapter without a server', () => {
  it('redactDatabaseUrl drops the password and query but keeps user, host, port and database', () => {
    expect(
      redactDatabaseUrl('postgres://app:p%40ss@db.internal:6543/callbridge?sslmode=require'),
    ).toBe('postgres://app@db.internal:6543/callbridge')
    expect(redactDatabaseUrl('not a url s3cret')).not.toContain('s3cret')
  })

  it('a wrong port fails fast with an error naming host and database but never the password', async () => {
    const db = createPostgresDb({
      url: 'postgres://u:s3cret@127.0.0.1:1/x',
      connectTimeoutMs: 3_000,
    })
    try {
      const started = Date.now()
      const error = await db.query('SELECT 1').catch((e: unknown) => e)
      expect(Date.now() - started).toBeLessThan(3_000)
      expect(error).toBeInstanceOf(DbConnectionError)
      expect(String(error)).toMatch(
        /cannot connect to PostgreSQL at postgres:\/\/u@127\.0\.0\.1:1\/x/,
      )
      expect(inspect(error, { depth: 10 })).not.toContain('s3cret')

      const status = await db.health.check()
      expect(status).toMatchObject({ ok: false, error: expect.stringContaining('127.0.0.1:1/x') })
      expect(JSON.stringify(status)).not.toContain('s3cret')
      await expect(db.transaction(async () => 1)).rejects.toBeInstanceOf(DbConnectionError)
    } finally {
      await db.close()
    }
  })

  it('queries after close fail with a clear error', async () => {
    const db = createPostgresDb({ url: 'postgres://u:s3cret@127.0.0.1:1/x' })
    await db.close()
    await db.close()
    await expect(db.query('SELECT 1')).rejects.toThrow(/has been closed/)
  })
})
