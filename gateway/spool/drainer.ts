/**
 * @module gateway/spool/drainer
 * Replays the spool to Kafka. One loop: peek a batch → publish it in order (consecutive records of
 * the same topic in one call) → ack what Kafka acknowledged. Invariants:
 * - never skips and never reorders: a failed publish is retried from the first record that was not
 *   acknowledged, after an exponential backoff (`retryMs` doubling up to `maxRetryMs`);
 * - acks only what `publish` resolved for, so a crash at any point replays (at-least-once; the
 *   events carry their `ce_id` and consumers deduplicate);
 * - `wake()` cuts an idle wait short but not a backoff (a broker that is down is not hammered
 *   because new events keep arriving).
 */
import type { Spool, SpoolRecord } from './types.ts'

/** A message as handed to `publish`. */
export interface DrainerMessage {
  key: string
  value: string
  headers: Record<string, string>
}

export interface DrainerOptions {
  readonly spool: Spool
  /** Publishes messages of one topic in order; resolves only once Kafka acknowledged all of them. */
  readonly publish: (topic: string, messages: DrainerMessage[]) => Promise<void>
  /** Records peeked per round. Default 500. */
  readonly batchSize?: number
  /** How long an empty spool is left alone unless `wake()` is called. Default 1000 ms. */
  readonly idleMs?: number
  /** First backoff after a failure; doubles per consecutive failure. Default 100 ms. */
  readonly retryMs?: number
  /** Backoff cap. Default 5000 ms. */
  readonly maxRetryMs?: number
  /** Told about every failure (publish, peek, ack); the drainer keeps going. */
  readonly onError?: (error: unknown) => void
  /** Called when the spool becomes empty, with how many records were delivered since it last was. */
  readonly onDrained?: (count: number) => void
}

export interface Drainer {
  /** New records were spooled: look now instead of at the end of the idle wait. */
  wake(): void
  /** Finishes the batch in flight (publish and ack), then stops. Idempotent. */
  stop(): Promise<void>
  /** Resolves when the spool is next seen empty; rejects if the drainer stops before that. */
  drainedOnce(): Promise<void>
}

interface Run {
  readonly topic: string
  readonly messages: DrainerMessage[]
}

/** Splits a batch into runs of consecutive records with the same topic, keeping global order. */
const runsByTopic = (batch: readonly SpoolRecord[]): Run[] => {
  const runs: Run[] = []
  for (const record of batch) {
    const message = { key: record.key, value: record.value, headers: { ...record.headers } }
    const last = runs.at(-1)
    if (last?.topic === record.topic) last.messages.push(message)
    else runs.push({ topic: record.topic, messages: [message] })
  }
  return runs
}

/** Starts draining `options.spool` in the background. */
export const startDrainer = (options: DrainerOptions): Drainer => {
  const {
    spool,
    publish,
    batchSize = 500,
    idleMs = 1000,
    retryMs = 100,
    maxRetryMs = 5000,
  } = options
  let stopping = false
  let woken = false
  let failures = 0
  let sinceEmpty = 0
  let sleeper: { readonly wakeable: boolean; readonly done: () => void } | null = null
  const waiters: { resolve: () => void; reject: (error: Error) => void }[] = []

  const safely = (callback: () => void) => {
    try {
      callback()
    } catch {
      // a throwing observer must not stop the drainer
    }
  }
  const report = (error: unknown) => safely(() => options.onError?.(error))

  const sleep = (ms: number, wakeable: boolean) =>
    new Promise<void>((resolve) => {
      if (stopping) return resolve()
      const done = () => {
        clearTimeout(timer)
        sleeper = null
        resolve()
      }
      const timer = setTimeout(done, ms)
      sleeper = { wakeable, done }
    })

  const backoff = (error: unknown) => {
    report(error)
    failures += 1
    return sleep(Math.min(retryMs * 2 ** (failures - 1), maxRetryMs), false)
  }

  /** Publishes runs in order; stops at the first failure. */
  const deliver = async (batch: readonly SpoolRecord[]) => {
    let published = 0
    for (const run of runsByTopic(batch)) {
      try {
        await publish(run.topic, run.messages)
      } catch (error) {
        return { published, error: error ?? new Error('publish failed') }
      }
      published += run.messages.length
    }
    return { published, error: null }
  }

  const onEmpty = () => {
    failures = 0
    if (sinceEmpty > 0) {
      const count = sinceEmpty
      sinceEmpty = 0
      safely(() => options.onDrained?.(count))
    }
    for (const waiter of waiters.splice(0)) waiter.resolve()
  }

  const round = async () => {
    woken = false
    let batch: readonly SpoolRecord[]
    try {
      batch = await spool.peek(batchSize)
    } catch (error) {
      return backoff(error)
    }
    if (batch.length === 0) {
      onEmpty()
      return woken ? undefined : sleep(idleMs, true)
    }
    const { published, error } = await deliver(batch)
    if (published > 0) {
      try {
        await spool.ack(published)
        sinceEmpty += published
      } catch (ackError) {
        return backoff(ackError)
      }
    }
    if (error) return backoff(error)
    failures = 0
  }

  const loop = (async () => {
    while (!stopping) await round()
    const stopped = new Error('drainer stopped before the spool was empty')
    for (const waiter of waiters.splice(0)) waiter.reject(stopped)
  })()

  const wake = () => {
    woken = true
    if (sleeper?.wakeable) sleeper.done()
  }

  return {
    wake,
    stop: async () => {
      stopping = true
      sleeper?.done()
      await loop
    },
    drainedOnce: () => {
      if (stopping) return Promise.reject(new Error('drainer is stopped'))
      const drained = new Promise<void>((resolve, reject) => waiters.push({ resolve, reject }))
      wake()
      return drained
    },
  }
}
