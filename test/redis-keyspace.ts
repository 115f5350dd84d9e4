/**
 * @module test/redis-keyspace
 * A Redis key space of its own for an integration test file: every key under a random prefix,
 * kv adapters ("replicas", each its own connection) closed after each test, and every key the
 * file wrote deleted after the file.
 */
import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterAll, afterEach } from 'vitest'
import type { Kv } from '../platform/kv/port.ts'
import { createRedisKv } from '../platform/kv/redis.ts'

/** Deletes every key under `prefix` (SCAN, so it never blocks Redis). */
export const deleteKeys = async (url: string, prefix: string): Promise<void> => {
  const redis = new Redis(url)
  try {
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500)
      if (keys.length > 0) await redis.del(...keys)
      cursor = next
    } while (cursor !== '0')
  } finally {
    await redis.quit()
  }
}

export interface RedisKeyspace {
  readonly keyPrefix: string
  /** A replica's kv: its own Redis connection, the file's key space; closed after the test. */
  replicaKv(): Kv
}

/** Registers the hooks of a key space named `name` (e.g. `zoho`) in the calling test file. */
export const useRedisKeyspace = (url: string, name: string): RedisKeyspace => {
  const keyPrefix = `test:${name}:${randomUUID()}:`
  const kvs: Kv[] = []
  afterEach(async () => {
    await Promise.all(kvs.splice(0).map((kv) => kv.close()))
  })
  afterAll(() => deleteKeys(url, keyPrefix))
  return {
    keyPrefix,
    replicaKv: () => {
      const kv = createRedisKv({ url, keyPrefix })
      kvs.push(kv)
      return kv
    },
  }
}
