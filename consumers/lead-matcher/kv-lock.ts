/**
 * @module consumers/lead-matcher/kv-lock
 * Runs work under a kv lock shared by every replica, waiting a bounded time for it. The holder
 * renews the lock every third of its expiry while the work runs, so slow work keeps it and a dead
 * holder loses it after one expiry; work that must not run unguarded (creating a lead) calls
 * `stillHeld()` first.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { Kv, Lock } from '../../platform/kv/port.ts'

/** Another holder kept the lock for the whole wait. Retryable: the event is tried again later. */
export class LockBusyError extends Error {
  override readonly name = 'LockBusyError'
}

export interface LockOptions {
  /** Expiry of the lock, renewed while the work runs: how long a crashed holder blocks the key. */
  readonly ttlMs: number
  /** How long to wait for another holder. 0 tries once. */
  readonly waitMs: number
  /** Pause between attempts. Default 25 ms. */
  readonly pollMs?: number
}

/** What the work gets from {@link withLock}. */
export interface HeldLock {
  /** Pushes the expiry out again; false when the lock expired and may be someone else's now. */
  stillHeld(): Promise<boolean>
}

const acquire = async (kv: Kv, key: string, options: LockOptions): Promise<Lock> => {
  const deadline = Date.now() + options.waitMs
  for (;;) {
    const lock = await kv.tryLock(key, options.ttlMs)
    if (lock) return lock
    if (Date.now() >= deadline) {
      throw new LockBusyError(`${key} stayed locked for ${options.waitMs} ms`)
    }
    await sleep(options.pollMs ?? 25)
  }
}

/**
 * Runs `work` while holding `key`; releases it afterwards, whatever happens.
 * @throws LockBusyError when the lock stayed taken for `waitMs`.
 * @example
 * ```ts
 * await withLock(kv, `lead-matcher:lock:${e164}`, { ttlMs: 120_000, waitMs: 15_000 }, async (held) => {
 *   if (!(await held.stillHeld())) throw new LockBusyError('lost the lock')
 * })
 * ```
 */
export const withLock = async <T>(
  kv: Kv,
  key: string,
  options: LockOptions,
  work: (held: HeldLock) => Promise<T>,
): Promise<T> => {
  const lock = await acquire(kv, key, options)
  // Renewed while the work runs (a slow Zoho must not let it lapse); a crashed holder's lock
  // lapses after ttlMs.
  const heartbeat = setInterval(
    () => void lock.extend(options.ttlMs).catch(() => false),
    Math.max(1, Math.floor(options.ttlMs / 3)),
  )
  heartbeat.unref()
  try {
    return await work({ stillHeld: () => lock.extend(options.ttlMs) })
  } finally {
    clearInterval(heartbeat)
    // A failed release must not hide the work's own outcome: the lock expires on its own.
    await lock.release().catch(() => false)
  }
}
