/**
 * @module gateway/dedup/dedup
 * Two-phase dedup in the kv port. The first copy of an event claims its key as `pending` (short
 * expiry), is published, and only then marks the key `done` for the whole window. A second copy
 * that arrives while the first is still in flight waits for the outcome instead of publishing too:
 * done → duplicate; released (first copy failed) → it claims and publishes itself.
 * When the kv store is unavailable, dedup fails OPEN: the event is published anyway (downstream
 * effects are idempotent) and the caller is told so it can count it.
 *
 * Claims and commits are group-committed: concurrent requests' keys go to the kv store in one
 * `setManyIfAbsent` / `setMany` call (one round trip and one Redis command per batch instead of
 * two commands per event), the same pattern as the Kafka batcher.
 */
import { createGroupCommit } from '../../platform/async/group-commit.ts'
import type { Kv } from '../../platform/kv/port.ts'

export type Claim =
  | { status: 'claimed'; commit(): Promise<void>; release(): Promise<void> }
  | { status: 'duplicate' }
  | { status: 'fail-open'; error: unknown; commit(): Promise<void>; release(): Promise<void> }

export interface DedupOptions {
  readonly kv: Kv
  /** How long a published key is remembered. */
  readonly windowMs: number
  /** Expiry of an in-flight claim: longer than the slowest durable publish (budget + spool). */
  readonly pendingMs: number
  /** How often a waiting duplicate looks again. */
  readonly pollMs?: number
  readonly sleep?: (ms: number) => Promise<void>
  /** Most keys in one claim or commit call. Default 256. */
  readonly maxBatch?: number
}

const PENDING = 'pending'
const DONE = 'done'
const noop = async () => {}

export const createDedup = ({
  kv,
  windowMs,
  pendingMs,
  pollMs = 10,
  sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  maxBatch = 256,
}: DedupOptions) => {
  const claims = createGroupCommit<string, boolean>({
    run: (keys) => kv.setManyIfAbsent(keys, PENDING, pendingMs),
    maxItems: maxBatch,
  })
  const commits = createGroupCommit<string, void>({
    run: async (keys) => {
      await kv.setMany(keys, DONE, windowMs)
      return keys.map(() => undefined)
    },
    maxItems: maxBatch,
  })
  const claimed = (key: string): Claim => ({
    status: 'claimed',
    commit: () => commits.submit(key),
    release: async () => {
      // Only a key still pending is released; a `done` written meanwhile stays.
      if ((await kv.get(key)) === PENDING) await kv.delete(key)
    },
  })

  /** Claims `dedupKey` for publication, or reports it as a duplicate. Never throws. */
  const claim = async (dedupKey: string): Promise<Claim> => {
    const key = `dedup:${dedupKey}`
    try {
      const deadline = Date.now() + pendingMs
      for (;;) {
        if (await claims.submit(key)) return claimed(key)
        const state = await kv.get(key)
        if (state === DONE) return { status: 'duplicate' }
        // Still pending: the first copy is being made durable. Waiting longer than a claim can
        // live means the key keeps being re-claimed by other copies: one of them will publish.
        if (state === PENDING && Date.now() > deadline) return { status: 'duplicate' }
        if (state === PENDING) await sleep(pollMs)
      }
    } catch (error) {
      return { status: 'fail-open', error, commit: noop, release: noop }
    }
  }
  return { claim }
}

export type Dedup = ReturnType<typeof createDedup>
