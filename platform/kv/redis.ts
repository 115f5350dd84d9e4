/**
 * @module platform/kv/redis
 * The Redis kv shared by replicas, on ioredis. Plain keys are Redis strings; locks are
 * `SET NX PX` with a random token, released and extended by compare-and-act Lua scripts; each
 * semaphore is a sorted set `semaphore:<name>` of lease ids scored by their expiry on the server's
 * clock (see redis-scripts.ts). Every call is bounded in time and fails with a clear error when
 * Redis is unreachable, so callers that must not block (the gateway's dedup) can fail open.
 */
import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import { timedCheck } from '../health/check.ts'
import type { Kv, Lease, Lock } from './port.ts'
import { type KvScriptCommands, kvScripts } from './redis-scripts.ts'
import { checkSemaphoreOptions, integerStep, retryUntil, wholeTtl } from './support.ts'

/** Options for {@link createRedisKv}. */
export interface RedisKvOptions {
  /** `redis://[user:password@]host:port[/db]` (or `rediss://` for TLS). */
  readonly url: string
  /** Prepended to every key and semaphore name, e.g. `callbridge:`. Default none. */
  readonly keyPrefix?: string
  /**
   * Upper bound for one call, time spent waiting for a connection included. Default 1000 ms.
   * Also bounds the health check's PING.
   */
  readonly commandTimeoutMs?: number
}

/**
 * Creates a {@link Kv} on Redis. The connection is opened in the background straight away;
 * calls made before it is ready wait for it (within the command timeout).
 */
export const createRedisKv = (options: RedisKvOptions): Kv => {
  const prefix = options.keyPrefix ?? ''
  const commandTimeout = options.commandTimeoutMs ?? 1000
  /*
   * Failure behaviour, chosen so a call never hangs while Redis is down:
   * - enableOfflineQueue: true (the default) - a call made while connecting or during a brief
   *   reconnect is queued and sent once the connection is back, instead of failing instantly
   *   (createRedisKv is synchronous, so the first calls usually happen before the socket is up).
   * - commandTimeout bounds every call, queued ones included: with Redis down a call rejects after
   *   at most `commandTimeoutMs` ("Command timed out"), often sooner because
   * - maxRetriesPerRequest: 1 flushes the offline queue with MaxRetriesPerRequestError after one
   *   failed reconnect attempt (the default 20 would hold calls for seconds).
   * - retryStrategy keeps reconnecting forever in the background (Redis coming back heals the
   *   process without a restart), backing off up to 2 s between attempts.
   * A command that timed out while queued may still be sent if the connection comes back; every
   * write here carries an expiry or is idempotent enough for that (a stray lock or lease expires).
   * - enableAutoPipelining: commands issued in the same event-loop turn (concurrent webhooks'
   *   dedup checks) go out in one round trip.
   */
  const redis = new Redis(options.url, {
    enableOfflineQueue: true,
    enableAutoPipelining: true,
    maxRetriesPerRequest: 1,
    commandTimeout,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(2 ** (times - 1) * 50, 2000),
    connectionName: 'callbridge-kv',
    scripts: kvScripts,
  }) as Redis & KvScriptCommands

  let lastConnectionError: Error | undefined
  // Without a listener ioredis prints every connection error itself; record it for error messages.
  redis.on('error', (error: Error) => {
    lastConnectionError = error
  })
  redis.on('ready', () => {
    lastConnectionError = undefined
  })

  const key = (k: string) => `${prefix}${k}`
  const semaphoreKey = (name: string) => `${prefix}semaphore:${name}`

  /** Runs one Redis operation, turning its failure into an error that says what and why. */
  const run = async <T>(op: string, call: () => Promise<T>): Promise<T> => {
    try {
      return await call()
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      const connection =
        redis.status !== 'ready' && lastConnectionError
          ? ` (redis ${redis.status}: ${lastConnectionError.message})`
          : ''
      throw new Error(`redis kv ${op} failed: ${reason}${connection}`, { cause: error })
    }
  }

  const makeLock = (lockKey: string, token: string): Lock => ({
    key: lockKey,
    release: () =>
      run('lock release', async () => (await redis.kvReleaseLock(key(lockKey), token)) === 1),
    extend: async (ttlMs) => {
      const ms = wholeTtl(ttlMs)
      return run(
        'lock extend',
        async () => (await redis.kvExtendLock(key(lockKey), token, ms)) === 1,
      )
    },
  })

  const makeLease = (name: string, id: string): Lease => ({
    id,
    release: () =>
      run(
        'semaphore release',
        async () => (await redis.kvReleaseLease(semaphoreKey(name), id)) === 1,
      ),
  })

  return {
    setIfAbsent: async (k, value, ttlMs) => {
      const ms = wholeTtl(ttlMs)
      return run(
        'setIfAbsent',
        async () => (await redis.set(key(k), value, 'PX', ms, 'NX')) === 'OK',
      )
    },
    setManyIfAbsent: async (keys, value, ttlMs) => {
      if (keys.length === 0) return []
      const ms = wholeTtl(ttlMs)
      const set = await run('setManyIfAbsent', () =>
        redis.kvSetManyIfAbsent(keys.length, ...keys.map(key), value, ms),
      )
      return set.map((one) => one === 1)
    },
    get: (k) => run('get', () => redis.get(key(k))),
    set: async (k, value, ttlMs) => {
      const ms = ttlMs === undefined ? undefined : wholeTtl(ttlMs)
      await run('set', () =>
        ms === undefined ? redis.set(key(k), value) : redis.set(key(k), value, 'PX', ms),
      )
    },
    setMany: async (keys, value, ttlMs) => {
      if (keys.length === 0) return
      const ms = wholeTtl(ttlMs)
      await run('setMany', () => redis.kvSetMany(keys.length, ...keys.map(key), value, ms))
    },
    delete: (k) => run('delete', async () => (await redis.del(key(k))) > 0),
    increment: async (k, by = 1, ttlMs) => {
      const step = integerStep(by)
      const ms = ttlMs === undefined ? 0 : wholeTtl(ttlMs)
      return run('increment', () => redis.kvIncrement(key(k), step, ms))
    },
    ttl: (k) =>
      run('ttl', async () => {
        const ms = await redis.pttl(key(k))
        return ms >= 0 ? ms : null
      }),
    tryLock: async (lockKey, ttlMs) => {
      const ms = wholeTtl(ttlMs)
      const token = randomUUID()
      const taken = await run('tryLock', () => redis.set(key(lockKey), token, 'PX', ms, 'NX'))
      return taken === 'OK' ? makeLock(lockKey, token) : null
    },
    acquire: async (name, semaphore) => {
      const { limit, leaseMs, waitMs } = checkSemaphoreOptions(semaphore)
      const attempt = async () => {
        const id = randomUUID()
        const taken = await run('acquire', () =>
          redis.kvAcquireLease(semaphoreKey(name), limit, leaseMs, id),
        )
        return taken === 1 ? makeLease(name, id) : null
      }
      return retryUntil(attempt, waitMs)
    },
    health: {
      name: 'redis',
      // PING is bounded by commandTimeout, so a down Redis answers ok:false within ~1 s.
      check: () =>
        timedCheck(async () => {
          await run('ping', () => redis.ping())
          return { status: redis.status }
        }),
    },
    close: async () => {
      if (redis.status === 'end') return
      try {
        await redis.quit()
      } catch {
        redis.disconnect()
      }
    },
  }
}
