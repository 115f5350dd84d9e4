/**
 * @module platform/kv/memory
 * The in-process kv for one-process mode: a Map of values with expiry timestamps, expired lazily
 * on access and by a periodic (unref'd) sweep. Locks live in the same key space as values, like
 * Redis, so `get(lockKey)` shows the holder's token. Semaphores are a per-name map of lease id to
 * expiry, kept apart from keys. Nothing is shared between processes: only for a single replica.
 */
import { randomUUID } from 'node:crypto'
import { timedCheck } from '../health/check.ts'
import type { Kv, Lease, Lock } from './port.ts'
import { checkSemaphoreOptions, integerStep, retryUntil, wholeTtl } from './support.ts'

/** Options for {@link createMemoryKv}. */
export interface MemoryKvOptions {
  /** The clock expiries are measured against, in ms. Default `Date.now`; tests inject their own. */
  readonly now?: () => number
  /** How often expired keys and leases are swept out. Default 30 s. */
  readonly sweepIntervalMs?: number
}

interface Entry {
  value: string
  /** Absolute expiry on the injected clock; null when the key never expires. */
  expiresAt: number | null
}

/** Creates an in-process {@link Kv}. Close it to stop the sweep timer. */
export const createMemoryKv = (options: MemoryKvOptions = {}): Kv => {
  const now = options.now ?? Date.now
  const entries = new Map<string, Entry>()
  const semaphores = new Map<string, Map<string, number>>()
  /** Sleepers in `acquire`, woken early when a lease of that name is released. */
  const waiters = new Map<string, Set<() => void>>()
  let closed = false

  const expired = (expiresAt: number | null, at: number) => expiresAt !== null && expiresAt <= at

  const assertOpen = () => {
    if (closed) throw new Error('memory kv is closed')
  }

  /** The live entry for `key`, dropping it when it has expired. */
  const live = (key: string): Entry | undefined => {
    assertOpen()
    const entry = entries.get(key)
    if (entry && expired(entry.expiresAt, now())) {
      entries.delete(key)
      return undefined
    }
    return entry
  }

  /** The live leases of semaphore `name`, with the expired ones removed. */
  const leasesOf = (name: string): Map<string, number> => {
    const at = now()
    let leases = semaphores.get(name)
    if (!leases) {
      leases = new Map()
      semaphores.set(name, leases)
    }
    for (const [id, expiresAt] of leases) if (expiresAt <= at) leases.delete(id)
    return leases
  }

  const wake = (name: string) => {
    for (const waiter of waiters.get(name) ?? []) waiter()
  }

  const pauseFor =
    (name: string) =>
    (ms: number): Promise<void> =>
      new Promise((resolve) => {
        let set = waiters.get(name)
        if (!set) {
          set = new Set()
          waiters.set(name, set)
        }
        const sleepers = set
        const done = () => {
          clearTimeout(timer)
          sleepers.delete(done)
          if (sleepers.size === 0 && waiters.get(name) === sleepers) waiters.delete(name)
          resolve()
        }
        const timer = setTimeout(done, ms)
        sleepers.add(done)
      })

  const sweep = () => {
    const at = now()
    for (const [key, entry] of entries) if (expired(entry.expiresAt, at)) entries.delete(key)
    for (const [name, leases] of semaphores) {
      for (const [id, expiresAt] of leases) if (expiresAt <= at) leases.delete(id)
      if (leases.size === 0) semaphores.delete(name)
    }
  }
  const sweeper = setInterval(sweep, options.sweepIntervalMs ?? 30_000)
  sweeper.unref()

  const makeLock = (key: string, token: string): Lock => {
    const owned = () => live(key)?.value === token
    return {
      key,
      release: async () => {
        if (!owned()) return false
        entries.delete(key)
        return true
      },
      extend: async (ttlMs) => {
        const ms = wholeTtl(ttlMs)
        const entry = live(key)
        if (entry?.value !== token) return false
        entry.expiresAt = now() + ms
        return true
      },
    }
  }

  const tryAcquire = (name: string, limit: number, leaseMs: number): Lease | null => {
    assertOpen()
    const leases = leasesOf(name)
    if (leases.size >= limit) return null
    const id = randomUUID()
    leases.set(id, now() + leaseMs)
    return {
      id,
      release: async () => {
        const current = leasesOf(name)
        const held = current.has(id)
        current.delete(id)
        if (current.size === 0) semaphores.delete(name)
        if (held) wake(name)
        return held
      },
    }
  }

  return {
    setIfAbsent: async (key, value, ttlMs) => {
      const ms = wholeTtl(ttlMs)
      if (live(key)) return false
      entries.set(key, { value, expiresAt: now() + ms })
      return true
    },
    setManyIfAbsent: async (keys, value, ttlMs) => {
      const ms = wholeTtl(ttlMs)
      return keys.map((key) => {
        if (live(key)) return false
        entries.set(key, { value, expiresAt: now() + ms })
        return true
      })
    },
    get: async (key) => live(key)?.value ?? null,
    set: async (key, value, ttlMs) => {
      const ms = ttlMs === undefined ? undefined : wholeTtl(ttlMs)
      assertOpen()
      entries.set(key, { value, expiresAt: ms === undefined ? null : now() + ms })
    },
    setMany: async (keys, value, ttlMs) => {
      const ms = wholeTtl(ttlMs)
      assertOpen()
      for (const key of keys) entries.set(key, { value, expiresAt: now() + ms })
    },
    delete: async (key) => {
      const existed = live(key) !== undefined
      entries.delete(key)
      return existed
    },
    increment: async (key, by = 1, ttlMs) => {
      const step = integerStep(by)
      const ms = ttlMs === undefined ? undefined : wholeTtl(ttlMs)
      const entry = live(key)
      if (!entry) {
        entries.set(key, { value: String(step), expiresAt: ms === undefined ? null : now() + ms })
        return step
      }
      const current = Number(entry.value)
      if (!/^-?\d+$/.test(entry.value) || !Number.isSafeInteger(current)) {
        throw new Error(`memory kv: value of ${key} is not an integer`)
      }
      const next = current + step
      if (!Number.isSafeInteger(next)) throw new Error(`memory kv: increment of ${key} overflows`)
      entry.value = String(next)
      return next
    },
    ttl: async (key) => {
      const entry = live(key)
      if (!entry || entry.expiresAt === null) return null
      return entry.expiresAt - now()
    },
    tryLock: async (key, ttlMs) => {
      const ms = wholeTtl(ttlMs)
      if (live(key)) return null
      const token = randomUUID()
      entries.set(key, { value: token, expiresAt: now() + ms })
      return makeLock(key, token)
    },
    acquire: async (name, semaphore) => {
      const { limit, leaseMs, waitMs } = checkSemaphoreOptions(semaphore)
      return retryUntil(async () => tryAcquire(name, limit, leaseMs), waitMs, pauseFor(name))
    },
    health: {
      name: 'kv',
      check: () =>
        timedCheck(async () => {
          assertOpen()
          return { adapter: 'memory', keys: entries.size }
        }),
    },
    close: async () => {
      closed = true
      clearInterval(sweeper)
      for (const name of [...waiters.keys()]) wake(name)
      entries.clear()
      semaphores.clear()
    },
  }
}
