/**
 * @module platform/runtime/adapters
 * Chooses each port's adapter from the configuration: Kafka, Redis and PostgreSQL when their URLs
 * are set, the embedded defaults (durable local log, in-process kv, PGlite) in DATA_DIR otherwise.
 * The only place that builds real clients; each client library is imported only when chosen.
 */
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import type { Bus } from '../bus/port.ts'
import type { Config } from '../config/vars.ts'
import { createLazyDb } from '../db/lazy.ts'
import type { Db } from '../db/port.ts'
import type { Kv } from '../kv/port.ts'
import type { Logger } from '../log/logger.ts'
import { lockDataDir } from './data-dir-lock.ts'

export interface Adapters {
  readonly bus: Bus
  readonly kv: Kv
  readonly db: Db
  /** Which adapter each port got, for the start-up log line and /healthz. */
  readonly kinds: { bus: 'kafka' | 'embedded'; kv: 'redis' | 'memory'; db: 'postgres' | 'pglite' }
  close(): Promise<void>
}

const createBus = async (config: Config, logger: Logger, clientId: string, dataDir: string) => {
  if (!config.KAFKA_BROKERS) {
    const { createEmbeddedBus } = await import('../bus/embedded.ts')
    return createEmbeddedBus({ path: path.join(dataDir, 'events.sqlite') })
  }
  const { createKafkaBus } = await import('../bus/kafka.ts')
  return createKafkaBus({
    brokers: config.KAFKA_BROKERS,
    clientId,
    replicationFactor: config.KAFKA_REPLICATION_FACTOR,
    logger: logger.child({ component: 'kafka' }),
  })
}

const createKv = async (config: Config) => {
  if (!config.REDIS_URL) return (await import('../kv/memory.ts')).createMemoryKv()
  return (await import('../kv/redis.ts')).createRedisKv({ url: config.REDIS_URL })
}

const openDb = async (config: Config, dataDir: string): Promise<Db> => {
  if (config.DATABASE_URL) {
    return (await import('../db/postgres.ts')).createPostgresDb({ url: config.DATABASE_URL })
  }
  return (await import('../db/pglite.ts')).createPgliteDb({ dataDir: path.join(dataDir, 'pglite') })
}

export const createAdapters = async (
  config: Config,
  logger: Logger,
  clientSuffix: string,
): Promise<Adapters> => {
  const dataDir = path.resolve(config.DATA_DIR)
  mkdirSync(dataDir, { recursive: true })
  // DATA_DIR (embedded stores, the gateway's spool) belongs to one process.
  const unlock = lockDataDir(dataDir)
  try {
    const bus = await createBus(
      config,
      logger,
      `${config.KAFKA_CLIENT_ID}-${clientSuffix}`,
      dataDir,
    )
    const kv = await createKv(config)
    // Opened (and migrated) on first use: roles that never query it cost nothing.
    const db = createLazyDb(() => openDb(config, dataDir))
    return {
      bus,
      kv,
      db,
      kinds: {
        bus: config.KAFKA_BROKERS ? 'kafka' : 'embedded',
        kv: config.REDIS_URL ? 'redis' : 'memory',
        db: config.DATABASE_URL ? 'postgres' : 'pglite',
      },
      close: async () => {
        const results = await Promise.allSettled([bus.close(), kv.close(), db.close()])
        const failed = results.filter((r) => r.status === 'rejected')
        if (failed.length > 0) {
          logger.warn({ failures: failed.length }, 'some adapters did not close cleanly')
        }
        unlock()
      },
    }
  } catch (error) {
    unlock()
    throw error
  }
}
