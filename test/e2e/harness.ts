/**
 * @module test/e2e/harness
 * The end-to-end harness: the whole pipeline as it runs in production, on real services, with the
 * two providers simulated.
 *
 * - A PRIVATE Kafka broker (deploy/kafka-local/kafka.sh on free ports): topic and consumer group
 *   names are fixed (`callbridge.<role>`), so a shared broker would hand each run the leftovers of
 *   earlier runs. A fresh PostgreSQL database (migrated, dropped WITH (FORCE) at the end) and a
 *   dedicated, flushed Redis db index.
 * - The RingCentral and Zoho simulators in the test process; a real SMTP server (smtp-server) and
 *   a chat-webhook receiver catch the notifier's messages.
 * - Every role as its own child process of the real CLI (`node bin/callbridge.ts <role>`), with
 *   its own DATA_DIR and port, configured by environment variables only. Processes can be killed
 *   with SIGKILL and restarted.
 * - An observer on the broker (observer.ts) that records the pipeline's events and the consumer
 *   groups' lag, so a test can tell when the pipeline has gone quiet (settle.ts).
 *
 * The RingCentral simulator's clock runs `rcClockLagMs` (default 75 s) behind the real one, so its
 * call log shows each call as having ended that much earlier. The reconciler leaves calls that
 * ended less than 2 min ago to the webhook path (a fixed settle time, not configurable); with the
 * lag, a call becomes the reconciler's business 45 s after it really ended instead of 120 s: long
 * enough for the webhook path to go first (even after a consumer restart, which waits up to 30 s
 * for Kafka to expire the dead member), short enough for a test to wait for lost calls.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Redis } from 'ioredis'
import { Client } from 'pg'
import { startLocalBrokerOnFreePorts } from '../../gateway/testing/local-broker.ts'
import type { Db } from '../../platform/db/port.ts'
import { createPostgresDb } from '../../platform/db/postgres.ts'
import {
  type StartedRingCentralSimulator,
  startRingCentralSimulator,
} from '../../simulators/ringcentral/index.ts'
import {
  type StartedZohoSimulator,
  startZohoSimulator,
  type ZohoSimulatorOptions,
} from '../../simulators/zoho/index.ts'
import { freePort } from '../free-port.ts'
import { serviceUrl } from '../services.ts'
import { waitFor } from '../wait-for.ts'
import { diagnosticsOf } from './diagnostics.ts'
import {
  defaultOwner,
  extensionOwners,
  fallbackEmail,
  ownerEmails,
  pipelineRoles,
  type RoleName,
  simCredentials,
} from './fixtures.ts'
import { type GroupLag, type ObservedEvent, startObserver } from './observer.ts'
import { type ManagedProcess, startProcess } from './process.ts'
import { type CapturedMail, type ChatPost, startChat, startSmtp } from './receivers.ts'

export interface HarnessOptions {
  /** Names the run's database, Kafka client ids and temporary folders. */
  readonly name: string
  /** The Redis db index the run owns; flushed at start and at the end. */
  readonly redisDb: number
  /** How far the RingCentral simulator's clock is behind the real one. Default 75 s. */
  readonly rcClockLagMs?: number
  /**
   * RECONCILE_INTERVAL_S of the call-tracker. Default 30: each run is one Heavy request, out of
   * the 9 a minute that every process shares.
   */
  readonly reconcileIntervalS?: number
  readonly zoho?: ZohoSimulatorOptions
  /** Seeds the Zoho simulator before anything starts. */
  readonly seedZoho?: (zoho: StartedZohoSimulator) => void
}

export interface Harness {
  readonly rc: StartedRingCentralSimulator
  readonly zoho: StartedZohoSimulator
  readonly mail: readonly CapturedMail[]
  readonly chat: readonly ChatPost[]
  readonly events: readonly ObservedEvent[]
  /** The run's database (the call ledger), for checks. */
  readonly db: Db
  process(role: RoleName): ManagedProcess
  /** Adds a line to the run's timeline (shown in the diagnostics), e.g. `killed call-tracker`. */
  mark(what: string, details?: unknown): void
  /** Lag of every consumer group. */
  lags(): Promise<GroupLag[]>
  /** Messages on each parking topic (DLQs, invalid webhooks); -1 when it cannot be read. */
  parked(): Promise<Record<string, number>>
  /** True when every consumer group has consumed everything (twice in a row, 1 s apart). */
  quiet(): Promise<boolean>
  /** Everything useful when a test fails, as text. */
  diagnostics(): Promise<string>
  close(): Promise<void>
}

type Cleanups = (() => Promise<void>)[]

const withPath = (url: string, pathname: string) => {
  const u = new URL(url)
  u.pathname = pathname
  return u.toString()
}

const sanitize = (text: string) => text.toLowerCase().replace(/[^a-z0-9_]/g, '_')

/**
 * Starts everything; on failure, whatever was started is stopped again.
 *
 * @example
 * ```ts
 * const h = await startHarness({ name: 'pipeline', redisDb: 10 })
 * await h.rc.sim.placeCall({ direction: 'Inbound', from: '+14155550100', to: '+16505550100', result: 'missed' })
 * await h.close()
 * ```
 */
export const startHarness = async (options: HarnessOptions): Promise<Harness> => {
  const cleanups: Cleanups = []
  const cleanup = async () => {
    const errors: unknown[] = []
    for (const step of cleanups.reverse()) {
      try {
        await step()
      } catch (error) {
        errors.push(error)
      }
    }
    cleanups.length = 0
    if (errors.length > 0) throw new AggregateError(errors, 'e2e harness clean-up failed')
  }
  try {
    return await build(options, cleanups, cleanup)
  } catch (error) {
    await cleanup().catch(() => {})
    throw error
  }
}

/** A fresh, migrated PostgreSQL database for the run, dropped WITH (FORCE) at the end. */
const freshDatabase = async (runId: string, cleanups: Cleanups) => {
  const adminUrl = withPath(serviceUrl('DATABASE_URL'), '/postgres')
  const dbName = `callbridge_e2e_${runId}`
  const admin = new Client({ connectionString: adminUrl })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${dbName}`)
  await admin.end()
  cleanups.push(async () => {
    const client = new Client({ connectionString: adminUrl })
    await client.connect()
    await client.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`)
    await client.end()
  })
  const url = withPath(serviceUrl('DATABASE_URL'), `/${dbName}`)
  const db = createPostgresDb({ url })
  cleanups.push(() => db.close())
  // Migrated here, as a deployed database is, so the processes do not race to do it.
  await db.migrate()
  return { url, db }
}

/** The run's Redis db index, flushed now and at the end. */
const freshRedis = async (redisDb: number, cleanups: Cleanups) => {
  const url = withPath(serviceUrl('REDIS_URL'), `/${redisDb}`)
  const flush = async () => {
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 })
    await redis.connect()
    await redis.flushdb()
    await redis.quit()
  }
  await flush()
  cleanups.push(flush)
  return url
}

/** The roles' environment: nothing but what a deployment would set. */
const roleEnv = (run: {
  name: string
  brokers: string
  redisUrl: string
  databaseUrl: string
  gatewayPort: number
  rcUrl: string
  zohoUrl: string
  smtpUrl: string
  chatUrl: string
  reconcileIntervalS: number
}): Record<string, string> => ({
  PATH: process.env['PATH'] ?? '',
  HOME: process.env['HOME'] ?? os.homedir(),
  TMPDIR: os.tmpdir(),
  CALLBRIDGE_ENV: 'test',
  LOG_LEVEL: 'warn',
  HOST: '127.0.0.1',
  OTEL_SDK_DISABLED: 'true',
  KAFKA_BROKERS: run.brokers,
  KAFKA_CLIENT_ID: `e2e-${sanitize(run.name)}`,
  REDIS_URL: run.redisUrl,
  DATABASE_URL: run.databaseUrl,
  PUBLIC_URL: `http://127.0.0.1:${run.gatewayPort}`,
  RINGCENTRAL_SERVER_URL: run.rcUrl,
  RINGCENTRAL_WEBHOOK_TOKEN: 'e2e-ringcentral-verification-token',
  ZOHO_ACCOUNTS_URL: run.zohoUrl,
  ZOHO_WEBHOOK_TOKEN: 'e2e-zoho-channel-token',
  ...simCredentials,
  RECONCILE_INTERVAL_S: String(run.reconcileIntervalS),
  EXT_OWNER_MAP: Object.entries(extensionOwners)
    .map(([ext, owner]) => `${ext}:${owner}`)
    .join(','),
  LEAD_DEFAULT_OWNER_ID: defaultOwner,
  LEAD_SOURCE: 'RingCentral',
  NOTIFY_CHANNELS: 'missed:email+chat,voicemail:email+chat,new-lead:chat',
  SMTP_URL: run.smtpUrl,
  NOTIFY_EMAIL_FROM: 'callbridge <calls@example.com>',
  NOTIFY_FALLBACK_EMAIL: fallbackEmail,
  OWNER_DIRECTORY: Object.entries(ownerEmails)
    .map(([owner, email]) => `${owner}:${email}:`)
    .join(','),
  CHAT_WEBHOOK_URL: run.chatUrl,
})

const build = async (
  options: HarnessOptions,
  cleanups: Cleanups,
  cleanup: () => Promise<void>,
): Promise<Harness> => {
  const runId = `${sanitize(options.name)}_${process.pid}_${Date.now().toString(36)}`
  const startedAt = Date.now()
  const timeline: string[] = []
  const mark = (what: string, details?: unknown) => {
    const at = ((Date.now() - startedAt) / 1000).toFixed(1).padStart(6)
    timeline.push(`${at} s  ${what}${details === undefined ? '' : ` ${JSON.stringify(details)}`}`)
  }
  const root = mkdtempSync(path.join(os.tmpdir(), `callbridge-e2e-${options.name}-`))
  cleanups.push(async () => rmSync(root, { recursive: true, force: true }))

  // Private broker first (the slowest part), then the rest while it starts.
  const brokerStarted = startLocalBrokerOnFreePorts(freePort)
  brokerStarted.catch(() => {}) // awaited below; this only keeps an early failure handled
  cleanups.push(async () => (await brokerStarted.catch(() => undefined))?.destroy())

  const { url: databaseUrl, db } = await freshDatabase(runId, cleanups)
  const redisUrl = await freshRedis(options.redisDb, cleanups)

  const lagMs = options.rcClockLagMs ?? 75_000
  // A fresh seed per run: telephony session ids, uuids and recording ids differ between runs.
  const rcSeed = Math.floor(Math.random() * 2 ** 31)
  const rc = await startRingCentralSimulator({
    seed: rcSeed,
    callLogDelayMs: 0,
    recordingDelayMs: 0,
    now: () => Date.now() - lagMs,
  })
  cleanups.push(async () => {
    await rc.close()
  })
  const zoho = await startZohoSimulator({ latencyMs: 10, indexLagMs: 1_500, ...options.zoho })
  cleanups.push(() => zoho.close())
  options.seedZoho?.(zoho)

  const smtp = await startSmtp()
  cleanups.push(() => smtp.close())
  const chat = await startChat()
  cleanups.push(() => chat.close())

  const broker = await brokerStarted
  const brokers = broker.brokers.join(',')
  const gatewayPort = await freePort()
  const env = roleEnv({
    name: options.name,
    brokers,
    redisUrl,
    databaseUrl,
    gatewayPort,
    rcUrl: rc.url,
    zohoUrl: zoho.url,
    smtpUrl: smtp.url,
    chatUrl: chat.url,
    reconcileIntervalS: options.reconcileIntervalS ?? 30,
  })

  const processes = new Map<RoleName, ManagedProcess>()
  cleanups.push(async () => {
    await Promise.all([...processes.values()].map((p) => p.stop()))
  })
  for (const role of pipelineRoles) {
    const port = role === 'gateway' ? gatewayPort : await freePort()
    const dataDir = mkdtempSync(`${path.join(root, role)}-`)
    processes.set(role, startProcess(role, env, port, dataDir))
  }
  const proc = (role: RoleName): ManagedProcess => {
    const found = processes.get(role)
    if (!found) throw new Error(`${role} is not a pipeline role`)
    return found
  }

  // The gateway first: it creates the webhook topics, the RingCentral subscription (through the
  // validation handshake) and the Zoho watch channel. Then the consumers, all at once.
  await proc('gateway').start()
  await waitFor(() => rc.sim.state.subscriptions.some((s) => s.status === 'Active'), {
    timeoutMs: 30_000,
    what: 'the gateway to create the RingCentral subscription',
  })
  await waitFor(() => zoho.sim.state.channels().length > 0, {
    timeoutMs: 30_000,
    what: 'the gateway to create the Zoho watch channel',
  })
  await Promise.all(pipelineRoles.filter((r) => r !== 'gateway').map((r) => proc(r).start()))
  mark('every role ready', pipelineRoles)

  const observer = await startObserver({ brokers: broker.brokers, runId, roles: pipelineRoles })
  cleanups.push(() => observer.close())

  const settledOnce = async () =>
    (await observer.lags()).every((l) => l.lag === 0) &&
    [...processes.values()].every((p) => p.running())
  const quiet = async () => {
    if (!(await settledOnce())) return false
    await new Promise((resolve) => setTimeout(resolve, 1_000))
    return settledOnce()
  }

  const diagnostics = () => {
    mark('diagnostics')
    return diagnosticsOf({
      run: { runId, brokers, databaseUrl, redisUrl, rcSeed, rcClockLagMs: lagMs },
      timeline: () => timeline,
      processes: () => [...processes.values()],
      observer,
      rc,
      zoho,
      received: () => ({ emails: smtp.messages.length, chat: chat.posts.length }),
      db,
    })
  }

  // CALLBRIDGE_E2E_REPORT=<folder> keeps each run's diagnostics, passed or failed.
  const reportDir = process.env['CALLBRIDGE_E2E_REPORT']
  if (reportDir) {
    cleanups.push(async () => {
      mkdirSync(reportDir, { recursive: true })
      writeFileSync(path.join(reportDir, `${options.name}.txt`), await diagnostics())
    })
  }

  return {
    rc,
    zoho,
    mail: smtp.messages,
    chat: chat.posts,
    events: observer.events,
    db,
    process: proc,
    mark,
    lags: observer.lags,
    parked: observer.parked,
    quiet,
    diagnostics,
    close: cleanup,
  }
}
