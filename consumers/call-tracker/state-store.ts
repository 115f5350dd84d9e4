/**
 * @module consumers/call-tracker/state-store
 * The folded state of each session in the kv port (JSON under `call-tracker:session:<id>`, 24 h
 * TTL by default), written BEFORE the handler resolves, so before the bus commits the offset: a
 * crash between two events of a call loses nothing (the redelivered event folds again, as a no-op).
 *
 * Events of one session share a Kafka key, so one consumer handles them in order; but the retry
 * worker can run a retried event of the session while the main subscription runs a new one, and a
 * rebalance can briefly give a key to two replicas. So every read-fold-write runs under a kv lock
 * per session (`call-tracker:session-lock:<id>`); the kv port has no compare-and-set, and a lock
 * held for a read and a write of a few ms is the simpler guard.
 */
import { z } from 'zod'
import type { Kv } from '../../platform/kv/port.ts'
import { CallState, emptyCallState } from './fold.ts'

/** What the store keeps per session: the fold plus the handler's own bookkeeping. */
export const SessionRecord = z.object({
  call: CallState,
  /**
   * `correlationId` (ce_id) of the event that first saw the call end: only that event (and its
   * retries and redeliveries) drives the completion, so late or duplicate events of an ended call
   * never start a second call-log fetch and retry chain.
   */
  endOwner: z.string().nullable(),
  /** The call was published on `calls.completed` (the ledger remains the truth). */
  completed: z.boolean(),
})
export type SessionRecord = z.infer<typeof SessionRecord>

/** Thrown when the session lock stays taken: retryable (the runtime retries the event). */
export class SessionBusyError extends Error {
  override readonly name = 'SessionBusyError'
}

export interface SessionStoreOptions {
  readonly kv: Kv
  /** How long a session's state is kept after its last event. Default 24 h. */
  readonly ttlMs?: number
  /** Expiry of the per-session lock (a crashed holder frees it after this). Default 10 s. */
  readonly lockTtlMs?: number
  /** How long `update` waits for the lock before throwing SessionBusyError. Default 5 s. */
  readonly lockWaitMs?: number
  /** Key namespace. Default `call-tracker`. */
  readonly prefix?: string
}

/** The per-session state store. */
export interface SessionStore {
  /** The stored record; null when absent, expired or unreadable. */
  get(telephonySessionId: string): Promise<SessionRecord | null>
  /** Reads, applies `change` and writes, under the session lock; resolves to what was written. */
  update(
    telephonySessionId: string,
    change: (current: SessionRecord) => SessionRecord,
  ): Promise<SessionRecord>
}

/** A record for a session never seen before. */
export const emptySessionRecord = (telephonySessionId: string): SessionRecord => ({
  call: emptyCallState(telephonySessionId),
  endOwner: null,
  completed: false,
})

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Creates the store.
 *
 * @example
 * ```ts
 * const sessions = createSessionStore({ kv })
 * const record = await sessions.update(id, (r) => ({ ...r, call: foldEvent(r.call, body) }))
 * ```
 */
export const createSessionStore = ({
  kv,
  ttlMs = 24 * 60 * 60 * 1000,
  lockTtlMs = 10_000,
  lockWaitMs = 5_000,
  prefix = 'call-tracker',
}: SessionStoreOptions): SessionStore => {
  const key = (id: string) => `${prefix}:session:${id}`

  const get = async (id: string): Promise<SessionRecord | null> => {
    const raw = await kv.get(key(id))
    if (raw === null) return null
    try {
      const parsed = SessionRecord.safeParse(JSON.parse(raw))
      // An unreadable record (an older format, a corrupt write) starts over: the call log and the
      // reconciler still give the facts, so losing the fold is better than parking every event.
      return parsed.success && parsed.data.call.telephonySessionId === id ? parsed.data : null
    } catch {
      return null
    }
  }

  const lock = async (id: string) => {
    const deadline = Date.now() + lockWaitMs
    for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
      const held = await kv.tryLock(`${prefix}:session-lock:${id}`, lockTtlMs)
      if (held) return held
      if (Date.now() >= deadline) {
        throw new SessionBusyError(`session ${id} is locked by another worker`)
      }
      await pause(delay)
    }
  }

  return {
    get,
    update: async (id, change) => {
      const held = await lock(id)
      try {
        const next = change((await get(id)) ?? emptySessionRecord(id))
        await kv.set(key(id), JSON.stringify(next), ttlMs)
        return next
      } finally {
        await held.release().catch(() => false)
      }
    },
  }
}
