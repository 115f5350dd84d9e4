/**
 * Infrastructure of one bench:pipeline run: a fresh PostgreSQL database (created,
 * migrated, dropped), a flushed Redis db, and lead-matcher replicas as real child processes
 * (`node bin/callbridge.ts lead-matcher`, PORT=0, own DATA_DIR), with their log lines kept and
 * their CPU time and metrics read at the end.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { createWriteStream, mkdtempSync, readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Redis } from 'ioredis'
import { Client } from 'pg'
import { createPostgresDb } from '../platform/db/postgres.ts'

const cli = new URL('../bin/callbridge.ts', import.meta.url).pathname

/** Creates database `name` on the server of `adminUrl`, migrates it; returns its URL and a drop. */
export const freshDatabase = async (adminUrl: string, name: string) => {
  const admin = new Client({ connectionString: adminUrl })
  await admin.connect()
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  // Migrated here, as a deployed database is: the replicas' first calls do not pay for it.
  const db = createPostgresDb({ url: url.toString() })
  await db.migrate()
  await db.close()
  return {
    url: url.toString(),
    drop: async () => {
      const client = new Client({ connectionString: adminUrl })
      await client.connect()
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await client.end()
    },
  }
}

export const flushRedis = async (url: string): Promise<void> => {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 })
  await redis.connect()
  await redis.flushdb()
  await redis.quit()
}

export interface Replica {
  readonly url: string
  readonly child: ChildProcess
  readonly logFile: string
  /** user + system CPU seconds so far. */
  cpuSeconds(): number
  /** Log lines at warn or above, counted by message. */
  problems(): Map<string, number>
  /** The prometheus text of /metrics. */
  metrics(): Promise<string>
  stop(): Promise<number | null>
}

const clockTicks = 100

/** Starts `node bin/callbridge.ts lead-matcher` and waits for its "callbridge started" line. */
export const startReplica = async (
  env: Record<string, string>,
  index: number,
): Promise<Replica> => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `callbridge-pipeline-${index}-`))
  const logFile = path.join(dataDir, 'replica.log')
  const log = createWriteStream(logFile)
  const child = spawn(process.execPath, [cli, 'lead-matcher'], {
    cwd: dataDir,
    env: { ...process.env, ...env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const problems = new Map<string, number>()
  let url: string | undefined
  let pending = ''
  const onLine = (line: string) => {
    log.write(`${line}\n`)
    try {
      const entry = JSON.parse(line) as { level?: number; msg?: string; url?: string }
      if (entry.msg === 'callbridge started' && entry.url) url = entry.url
      if ((entry.level ?? 0) >= 40) {
        const key = entry.msg ?? line.slice(0, 120)
        problems.set(key, (problems.get(key) ?? 0) + 1)
      }
    } catch {
      // Not a log line: a Node warning on stderr (its follow-up lines are dropped).
      if (/^(Timeout duration was set|\(Use `node --trace-warnings)/.test(line)) return
      const key = `stderr: ${line
        .replace(/^\(node:\d+\) /, '')
        .replace(/-?\d{6,}/g, 'N')
        .slice(0, 120)}`
      problems.set(key, (problems.get(key) ?? 0) + 1)
    }
  }
  const onData = (chunk: Buffer) => {
    pending += chunk.toString('utf8')
    const lines = pending.split('\n')
    pending = lines.pop() ?? ''
    for (const line of lines) if (line.trim()) onLine(line)
  }
  child.stdout?.on('data', onData)
  child.stderr?.on('data', onData)
  const deadline = Date.now() + 120_000
  while (url === undefined) {
    if (child.exitCode !== null) {
      throw new Error(`replica ${index} exited with ${child.exitCode}; log in ${logFile}`)
    }
    if (Date.now() > deadline) throw new Error(`replica ${index} not started after 120 s`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  const base = url
  return {
    url: base,
    child,
    logFile,
    cpuSeconds: () => {
      const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      return (Number(fields[11]) + Number(fields[12])) / clockTicks
    },
    problems: () => problems,
    metrics: async () => (await fetch(`${base}/metrics`)).text(),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode)
        const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
        child.once('exit', (code) => {
          clearTimeout(timer)
          log.end()
          resolve(code)
        })
        child.kill('SIGTERM')
      }),
  }
}

/** Sums a counter or histogram series of prometheus text by one label (all series when none). */
export const sumMetric = (text: string, name: string, label?: string): Map<string, number> => {
  const sums = new Map<string, number>()
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue
    const match = /^([a-z_]+)(\{[^}]*\})?\s+([0-9.eE+-]+)$/.exec(line)
    if (!match || match[1] !== name) continue
    const value = label ? (new RegExp(`${label}="([^"]*)"`).exec(match[2] ?? '')?.[1] ?? '') : ''
    sums.set(value, (sums.get(value) ?? 0) + Number(match[3]))
  }
  return sums
}
