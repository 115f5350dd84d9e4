import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { DataDirLockedError, lockDataDir } from './data-dir-lock.ts'

const dir = () => mkdtempSync(path.join(os.tmpdir(), 'callbridge-lock-'))

describe('DATA_DIR lock', () => {
  it('refuses a second holder while the first one lives, naming it', () => {
    const d = dir()
    // A live foreign process: this test's parent.
    writeFileSync(path.join(d, '.callbridge.lock'), String(process.ppid))
    expect(() => lockDataDir(d)).toThrowError(DataDirLockedError)
    expect(() => lockDataDir(d)).toThrowError(new RegExp(`in use by process ${process.ppid}`))
  })

  it('takes over a lock whose process is gone, and can be released and taken again', () => {
    const d = dir()
    const gone = spawnSync(process.execPath, [
      '-e',
      'process.stdout.write(String(process.pid))',
    ]).stdout.toString()
    writeFileSync(path.join(d, '.callbridge.lock'), gone)
    const release = lockDataDir(d)
    release()
    lockDataDir(d)()
  })
})
