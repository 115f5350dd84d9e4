import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { afterAll, describe, expect, it } from 'vitest'
import { describeDbContract } from './contract.ts'
import { createPgliteDb } from './pglite.ts'

// Starting PGlite from scratch runs initdb (1–2 s); loading a dump of a fresh cluster takes ~0.3 s.
let template: Promise<Blob> | undefined
const freshCluster = async (): Promise<Blob> => {
  const pglite = await PGlite.create()
  const dump = await pglite.dumpDataDir('none')
  await pglite.close()
  return dump
}
const makeDb = async () => {
  template ??= freshCluster()
  return createPgliteDb({ loadDataDir: await template })
}

describeDbContract('pglite', makeDb)

describe('pglite adapter', () => {
  const dirs: string[] = []
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
  })

  it('a database in a folder keeps its rows across close and reopen', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'callbridge-pglite-'))
    dirs.push(dir)
    const dataDir = path.join(dir, 'nested', 'pglite')
    const first = await createPgliteDb({ dataDir })
    expect(await first.migrate()).toEqual({ applied: ['0001_ledger.sql'] })
    await first.transaction((tx) =>
      tx.query(`INSERT INTO settings (key, value) VALUES ('kept', '{"yes": true}')`),
    )
    await first.close()

    const second = await createPgliteDb({ dataDir })
    try {
      expect(await second.migrate()).toEqual({ applied: [] })
      const { rows } = await second.query(`SELECT value FROM settings WHERE key = 'kept'`)
      expect(rows).toEqual([{ value: { yes: true } }])
    } finally {
      await second.close()
    }
  })

  it('db.query() inside a transaction fails fast instead of deadlocking', async () => {
    const db = await makeDb()
    try {
      const error = await db.transaction(() => db.query('SELECT 1')).catch((e: unknown) => e)
      expect(String(error)).toMatch(/inside a transaction: use the transaction's tx.query/)
      await expect(db.transaction(() => db.transaction(async () => 1))).rejects.toThrow(/deadlock/)
      expect((await db.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }])
    } finally {
      await db.close()
    }
  })

  it('a query issued while a transaction runs waits for it and sees its committed writes', async () => {
    const db = await makeDb()
    try {
      await db.query('CREATE TABLE t (n int)')
      let release = () => {}
      const gate = new Promise<void>((resolve) => {
        release = resolve
      })
      const tx = db.transaction(async (t) => {
        await t.query('INSERT INTO t VALUES (1)')
        await gate
        await t.query('INSERT INTO t VALUES (2)')
      })
      const read = db.query('SELECT count(*)::int AS n FROM t')
      release()
      await tx
      expect((await read).rows).toEqual([{ n: 2 }])
    } finally {
      await db.close()
    }
  })

  it('close lets queued work finish, then queries fail with a clear error', async () => {
    const db = await makeDb()
    const queued = db.query('SELECT 1 AS one')
    await db.close()
    expect((await queued).rows).toEqual([{ one: 1 }])
    await expect(db.query('SELECT 1')).rejects.toThrow(/has been closed/)
    await db.close() // a second close is harmless
  })
})
