/**
 * @module platform/runtime/data-dir-lock
 * DATA_DIR belongs to one process: PGlite does not lock its folder, the embedded bus keeps its
 * consumer groups in memory, and the gateway's spool has one writer. A lock file in DATA_DIR makes
 * a second process fail at start-up with a clear message instead of corrupting them. A lock left by a
 * process that no longer exists is taken over.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'

export class DataDirLockedError extends Error {
  override readonly name = 'DataDirLockedError'
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Takes the lock (or throws DataDirLockedError); returns the release function. */
export const lockDataDir = (dataDir: string): (() => void) => {
  const file = path.join(dataDir, '.callbridge.lock')
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' })
      return () => rmSync(file, { force: true })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const holder = Number(readFileSync(file, 'utf8'))
      if (Number.isInteger(holder) && holder !== process.pid && alive(holder)) {
        throw new DataDirLockedError(
          `DATA_DIR ${dataDir} is in use by process ${holder}: its embedded stores and spool serve one process. ` +
            'Give each process its own DATA_DIR (and set KAFKA_BROKERS and DATABASE_URL so they share Kafka and PostgreSQL).',
        )
      }
      rmSync(file, { force: true }) // stale: its process is gone
    }
  }
  throw new DataDirLockedError(`could not lock DATA_DIR ${dataDir}`)
}
