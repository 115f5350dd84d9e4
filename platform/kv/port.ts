/**
 * @module platform/kv/port
 * Small shared state with expiry: dedup windows, caches, locks and budgets shared by replicas.
 * Redis in production (redis.ts), in-process in one-process mode (memory.ts). Both pass the same
 * contract suite (contract.ts). Keys are plain strings; callers namespace them (`dedup:rc:<uuid>`).
 */
import type { HealthCheck } from '../health/check.ts'

export interface Lock {
  readonly key: string
  /** Releases the lock if this holder still owns it; false when it had expired or was taken over. */
  release(): Promise<boolean>
  /** Pushes the expiry to now + ttlMs if this holder still owns it. */
  extend(ttlMs: number): Promise<boolean>
}

export interface Lease {
  readonly id: string
  /** Gives the slot back; false when the lease had already expired. */
  release(): Promise<boolean>
}

export interface SemaphoreOptions {
  /** Slots in the semaphore (e.g. Zoho's per-org concurrency of 10). */
  readonly limit: number
  /** A lease not released within this time is reclaimed (its holder is presumed dead). */
  readonly leaseMs: number
  /** How long `acquire` waits for a free slot before giving up with null. Default 0 (try once). */
  readonly waitMs?: number
}

export interface Kv {
  /** Sets `key` only if it is absent; true when this call set it. The atom behind dedup. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>
  /**
   * {@link setIfAbsent} for many keys with the same value and expiry, in one round trip (the
   * gateway's group-committed dedup claims). Result i says whether `keys[i]` was set.
   */
  setManyIfAbsent(keys: readonly string[], value: string, ttlMs: number): Promise<boolean[]>
  get(key: string): Promise<string | null>
  /** Sets `key`, with an expiry when `ttlMs` is given (none otherwise). */
  set(key: string, value: string, ttlMs?: number): Promise<void>
  /** {@link set} for many keys with the same value and expiry, in one round trip. */
  setMany(keys: readonly string[], value: string, ttlMs: number): Promise<void>
  /** Deletes `key`; true when it existed. */
  delete(key: string): Promise<boolean>
  /**
   * Adds `by` (default 1) atomically and returns the new value. When the counter is created by this
   * call and `ttlMs` is given, it expires after ttlMs (fixed window counters).
   */
  increment(key: string, by?: number, ttlMs?: number): Promise<number>
  /** Remaining time to live in ms; null when the key is absent or has no expiry. */
  ttl(key: string): Promise<number | null>
  /** Mutual exclusion across replicas; null when someone else holds it. */
  tryLock(key: string, ttlMs: number): Promise<Lock | null>
  /** A counting semaphore across replicas with lease expiry; null when no slot became free. */
  acquire(name: string, options: SemaphoreOptions): Promise<Lease | null>
  readonly health: HealthCheck
  close(): Promise<void>
}
