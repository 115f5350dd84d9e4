import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { PGlite } from '@electric-sql/pglite'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { sqlState } from './errors.ts'
import { loadMigrations, type MigrationTransaction, runMigrations } from './migrate.ts'

describe('migration runner', () => {
  let pglite: PGlite
  let transaction: MigrationTransaction
  beforeEach(async () => {
    pglite = await PGlite.create()
    transaction = (work) =>
      pglite.transaction((ptx) =>
        work({
          query: async <Row>(sql: string, params?: readonly unknown[]) => {
            const result = await ptx.query<Row>(sql, params ? [...params] : [])
            return { rows: result.rows, rowCount: result.rowCount ?? result.rows.length }
          },
          execScript: async (script) => {
            await ptx.exec(script)
          },
        }),
      )
  })
  afterEach(async () => {
    await pglite.close()
  })

  const tables = async () =>
    (
      await pglite.query<{ name: string }>(
        `SELECT table_name AS name FROM information_schema.tables
         WHERE table_schema = 'public' ORDER BY table_name`,
      )
    ).rows.map((r) => r.name)

  it('applies only the migrations added since the last run', async () => {
    const one = { name: '0001_a.sql', sql: 'CREATE TABLE a (id int); CREATE TABLE a2 (id int);' }
    const two = { name: '0002_b.sql', sql: 'CREATE TABLE b (id int)' }
    expect(await runMigrations(transaction, [one])).toEqual({ applied: ['0001_a.sql'] })
    expect(await runMigrations(transaction, [one, two])).toEqual({ applied: ['0002_b.sql'] })
    expect(await tables()).toEqual(['a', 'a2', 'b', 'schema_migrations'])
  })

  it('a failing migration rejects with its name, keeps earlier ones and leaves nothing of itself', async () => {
    const good = { name: '0001_good.sql', sql: 'CREATE TABLE good (id int)' }
    const bad = { name: '0002_bad.sql', sql: 'CREATE TABLE half (id int); SELEC broken;' }
    const later = { name: '0003_later.sql', sql: 'CREATE TABLE later (id int)' }
    const error = await runMigrations(transaction, [good, bad, later]).catch((e: unknown) => e)
    expect(String(error)).toMatch(/migration 0002_bad\.sql failed: syntax error/)
    expect(sqlState(error)).toBe('42601')
    expect(await tables()).toEqual(['good', 'schema_migrations'])
    const { rows } = await pglite.query<{ name: string }>('SELECT name FROM schema_migrations')
    expect(rows.map((r) => r.name)).toEqual(['0001_good.sql'])
  })
})

describe('loadMigrations', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'callbridge-migrations-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('reads only .sql files, ordered by name', async () => {
    for (const name of ['0010_c.sql', '0002_b.sql', 'README.md', '0001_a.sql']) {
      await writeFile(path.join(dir, name), `-- ${name}`)
    }
    const migrations = await loadMigrations(pathToFileURL(`${dir}/`))
    expect(migrations.map((m) => m.name)).toEqual(['0001_a.sql', '0002_b.sql', '0010_c.sql'])
    expect(migrations[0]?.sql).toBe('-- 0001_a.sql')
  })

  it('the shipped migrations start with the ledger', async () => {
    expect((await loadMigrations()).map((m) => m.name)[0]).toBe('0001_ledger.sql')
  })
})
