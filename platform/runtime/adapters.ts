/**
 * @module platform/runtime/adapters
 * Chooses each port's adapter from the configuration: Kafka, Redis and PostgreSQL when their URLs
 * are set, the embedded defaults (durable local log, in-process kv, PGlite) in DATA_DIR otherwise.
 * The only place that builds real clients.
 */
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { createEmbeddedBus } from '../bus/embedded.ts'
import { createKafkaBus } from '../bus/kafka.ts'
import type { Bus } from '../bus/port.ts'
import type { Config } from '../config/vars.ts'
import { createLazyDb } from '../db/lazy.ts'
import { createPgliteDb } from '../db/pglite.ts'
import type { Db } from '../db/port.ts'
import { createPostgresDb } from '../db/postgres.ts'
import { createMemoryKv } from '../kv/memory.ts'
import type { Kv } from '../kv/port.ts'
import { createRedisKv } from '../kv/redis.ts'
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

export const createAdapters = async (
  config: Config,
  logger: Logger,
  clientSuffix: string,
): Promise<Adapters> => {
  const dataDir = path.resolve(config.DATA_DIR)
  mkdirSync(dataDir, { recursive: true })
  // DATA_DIR (embedded stores, the gateway's spool) belongs to one process.
  const unlock = lockDataDir(dataDir)

  const bus = config.KAFKA_BROKERS
    ? createKafkaBus({
        brokers: config.KAFKA_BROKERS,
        clientId: `${config.KAFKA_CLIENT_ID}-${clientSuffix}`,
        replicationFactor: config.KAFKA_REPLICATION_FACTOR,
        logger: logger.child({ component: 'kafka' }),
      })
    : createEmbeddedBus({ path: path.join(dataDir, 'events.sqlite') })
  const kv = config.REDIS_URL ? createRedisKv({ url: config.REDIS_URL }) : createMemoryKv()
  const databaseUrl = config.DATABASE_URL
  const db = createLazyDb(async () =>
    databaseUrl
      ? createPostgresDb({ url: databaseUrl })
      : createPgliteDb({ dataDir: path.join(dataDir, 'pglite') }),
  )

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
      if (failed.length > 0)
        logger.warn({ failures: failed.length }, 'some adapters did not close cleanly')
      unlock()
    },
  }
}
