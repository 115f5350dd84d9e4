/**
 * @module platform/kv/redis-scripts
 * The Lua scripts behind the Redis kv's compound operations. Each runs atomically on the server.
 * Semaphore expiries use the server's clock (TIME), never a replica's, so skewed clocks across
 * replicas cannot make a lease look alive or dead early. Registered with ioredis `scripts`, which
 * sends EVALSHA and falls back to EVAL on NOSCRIPT.
 */

/** `redis.call('TIME')` as whole milliseconds. */
const serverNowMs = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`

/** INCRBY that sets the expiry only when this call creates the counter. KEYS: key; ARGV: by, ttlMs (0 = none). */
const increment = `local created = redis.call('EXISTS', KEYS[1]) == 0
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
local ttl = tonumber(ARGV[2])
if created and ttl > 0 then redis.call('PEXPIRE', KEYS[1], ttl) end
return value`

/** Deletes the lock only when it still holds our token. KEYS: lock; ARGV: token. */
const releaseLock = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`

/** Pushes the lock's expiry only when it still holds our token. KEYS: lock; ARGV: token, ttlMs. */
const extendLock = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`

/**
 * Takes a semaphore slot: drops expired leases, then adds ours scored by its expiry if fewer than
 * `limit` remain. The set itself expires with its longest lease so idle semaphores leave nothing.
 * KEYS: semaphore set; ARGV: limit, leaseMs, leaseId. Returns 1 when the slot was taken.
 */
const acquireLease = `${serverNowMs}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
local lease = tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], now + lease, ARGV[3])
if redis.call('PTTL', KEYS[1]) < lease then redis.call('PEXPIRE', KEYS[1], lease) end
return 1`

/** Gives a slot back. KEYS: semaphore set; ARGV: leaseId. Returns 1 only if the lease was still live. */
const releaseLease = `local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score then return 0 end
redis.call('ZREM', KEYS[1], ARGV[1])
${serverNowMs}
if tonumber(score) > now then return 1 end
return 0`

/**
 * SET NX PX for every key, in one round trip. KEYS: the keys; ARGV: value, ttlMs. Returns one
 * 1 (set) or 0 (already there) per key, in order.
 */
const setManyIfAbsent = `local out = {}
for i, key in ipairs(KEYS) do
  out[i] = redis.call('SET', key, ARGV[1], 'PX', ARGV[2], 'NX') and 1 or 0
end
return out`

/** SET PX for every key, in one round trip. KEYS: the keys; ARGV: value, ttlMs. */
const setMany = `for _, key in ipairs(KEYS) do
  redis.call('SET', key, ARGV[1], 'PX', ARGV[2])
end
return #KEYS`

/**
 * Script definitions for the ioredis `scripts` option. The single-key scripts take exactly one key;
 * the many-key ones take their key count as the first argument.
 */
export const kvScripts = {
  kvIncrement: { lua: increment, numberOfKeys: 1 },
  kvReleaseLock: { lua: releaseLock, numberOfKeys: 1 },
  kvExtendLock: { lua: extendLock, numberOfKeys: 1 },
  kvAcquireLease: { lua: acquireLease, numberOfKeys: 1 },
  kvReleaseLease: { lua: releaseLease, numberOfKeys: 1 },
  kvSetManyIfAbsent: { lua: setManyIfAbsent },
  kvSetMany: { lua: setMany },
} as const

/** The commands ioredis adds to the client for {@link kvScripts}. */
export interface KvScriptCommands {
  kvIncrement(key: string, by: number, ttlMs: number): Promise<number>
  kvReleaseLock(key: string, token: string): Promise<number>
  kvExtendLock(key: string, token: string, ttlMs: number): Promise<number>
  kvAcquireLease(key: string, limit: number, leaseMs: number, leaseId: string): Promise<number>
  kvReleaseLease(key: string, leaseId: string): Promise<number>
  kvSetManyIfAbsent(keyCount: number, ...keysThenArgs: (string | number)[]): Promise<number[]>
  kvSetMany(keyCount: number, ...keysThenArgs: (string | number)[]): Promise<number>
}
