import { randomBytes } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { serviceAvailable, serviceUrl } from '../../test/services.ts'
import { describeDbContract } from './contract.ts'
import { DbConnectionError, sqlState } from './errors.ts'
import type { Db } from './port.ts'
import { createPostgresDb } from './postgres.ts'

const available = await serviceAvailable('DATABASE_URL')
const baseUrl = serviceUrl('DATABASE_URL')

const urlOf = (database: string): string => {
  const url = new URL(baseUrl)
  url.pathname = `/${database}`
  return url.toString()
}

describe.skipIf(!available)('postgres adapter', () => {
  // Every contract test gets its own throwaway database, created through the given DATABASE_URL.
  const admin = createPostgresDb({ url: baseUrl, max: 2 })
  const created: string[] = []
  const urls = new WeakMap<Db, string>()

  const makeDb = async (): Promise<Db> => {
    const name = `callbridge_ct_${randomBytes(6).toString('hex')}`
    await admin.query(`CREATE DATABASE ${name}`)
    created.push(name)
    const db = createPostgresDb({ url: urlOf(name) })
    urls.set(db, urlOf(name))
    return db
  }

  afterAll(async () => {
    for (const name of created) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await admin.close()
  })

  describeDbContract('postgres', makeDb, {
    openSameDatabase: async (db) => createPostgresDb({ url: urls.get(db) ?? baseUrl }),
  })

  it('a database that does not exist is a DbConnectionError with SQLSTATE 3D000 and no password', async () => {
    const url = new URL(urlOf('callbridge_no_such_db'))
    url.password = 'pw9x'
    const db = createPostgresDb({ url: url.toString() })
    try {
      const error = await db.query('SELECT 1').catch((e: unknown) => e)
      expect(error).toBeInstanceOf(DbConnectionError)
      expect(sqlState(error)).toBe('3D000')
      expect(String(error)).toMatch(/callbridge_no_such_db/)
      expect(String(error)).not.toContain('pw9x')
    } finally {
      await db.close()
    }
  })
})
