/**
 * @module platform/bus/keyed
 * Handles one partition's batch with bounded concurrency across keys, as both adapters do it:
 * up to `keyConcurrency` messages of different keys at once, each key's messages one after
 * another in offset order. Free slots go to the earliest waiting message whose key is idle, so
 * with one slot this is plain offset order. Progress is committed as a watermark: the offset
 * after the longest run of handled messages from the start of the batch, never beyond a message
 * that is not done.
 */
import type { BusMessage } from './port.ts'

export interface KeyedBatchOptions {
  /** Messages of different keys handled at once; values below 1 count as 1. */
  readonly keyConcurrency: number
  /**
   * Handles one message: resolves true once it is done, false when it was stopped first (the
   * batch then stops too). A rejection stops the batch and is passed on.
   */
  readonly deliver: (message: BusMessage) => Promise<boolean>
  /**
   * Records that every message of the batch below offset `next` is done. Called with increasing
   * values, one call at a time (advances made meanwhile are coalesced into the next call).
   */
  readonly commit: (next: string) => Promise<void> | void
  /** Once aborted, no further message starts; running ones are awaited. */
  readonly signal: AbortSignal
}

/** The offset after `message`, as a decimal string. */
export const offsetAfter = (message: BusMessage): string => (BigInt(message.offset) + 1n).toString()

/**
 * Handles `messages` (one partition, in offset order). Resolves true when all are done, false
 * when stopped first; rejects with the first error of `deliver` or `commit`. Either way it
 * settles only after every started delivery settled and the watermark reached is committed.
 */
export const runKeyedBatch = (
  messages: readonly BusMessage[],
  { keyConcurrency, deliver, commit, signal }: KeyedBatchOptions,
): Promise<boolean> =>
  new Promise<boolean>((resolve, reject) => {
    const slots = Math.max(1, Math.floor(keyConcurrency))
    const started = messages.map(() => false)
    const done = messages.map(() => false)
    const busyKeys = new Set<string | null>()
    let running = 0
    let firstWaiting = 0
    let watermark = 0
    let stopped = false
    let failure: { error: unknown } | undefined
    let target: string | undefined
    let committing: Promise<void> | undefined
    let settled = false

    const fail = (error: unknown) => {
      failure ??= { error }
    }

    const flushCommits = async () => {
      try {
        while (target !== undefined) {
          const next = target
          target = undefined
          await commit(next)
        }
      } catch (error) {
        fail(error)
      } finally {
        committing = undefined
      }
    }

    const advance = () => {
      const before = watermark
      while (watermark < messages.length && done[watermark]) watermark++
      const last = messages[watermark - 1]
      if (watermark === before || !last) return
      target = offsetAfter(last)
      committing ??= flushCommits()
    }

    /** The earliest message not started whose key has nothing running, or -1. */
    const pick = () => {
      while (firstWaiting < messages.length && started[firstWaiting]) firstWaiting++
      for (let i = firstWaiting; i < messages.length; i++) {
        const message = messages[i]
        if (!started[i] && message && !busyKeys.has(message.key)) return i
      }
      return -1
    }

    const finish = async () => {
      if (settled) return
      settled = true
      while (committing) await committing
      if (failure) reject(failure.error)
      else resolve(done.every(Boolean))
    }

    const start = (index: number, message: BusMessage) => {
      started[index] = true
      busyKeys.add(message.key)
      running++
      Promise.resolve()
        .then(() => deliver(message))
        .then((handled) => {
          if (!handled) stopped = true
          else {
            done[index] = true
            advance()
          }
        }, fail)
        .finally(() => {
          running--
          busyKeys.delete(message.key)
          pump()
        })
    }

    const pump = () => {
      while (running < slots && !stopped && !failure && !signal.aborted) {
        const index = pick()
        const message = messages[index]
        if (index < 0 || !message) break
        start(index, message)
      }
      if (running === 0) void finish()
    }

    pump()
  })
