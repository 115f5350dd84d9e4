/**
 * @module platform/runtime/periodic
 * A job that runs every `intervalMs` on exactly one replica at a time: each run takes a kv lock
 * first, so replicas that lose the race skip the round. A failed run is logged and retried at the
 * next interval (sooner with `retryMs`). Used by the subscription keepers and the call-log
 * reconciler.
 */
import type { Kv } from '../kv/port.ts'
import type { Logger } from '../log/logger.ts'

export interface PeriodicJobOptions {
  readonly name: string
  readonly kv: Kv
  readonly intervalMs: number
  /** Delay before retrying after a failed run. Default: intervalMs / 10, at least 1 s. */
  readonly retryMs?: number
  readonly logger: Logger
  readonly run: () => Promise<void>
}

export interface PeriodicJob {
  /** Runs once now (still under the lock); resolves false when another replica holds it. */
  runNow(): Promise<boolean>
  stop(): Promise<void>
}

export const startPeriodicJob = ({
  name,
  kv,
  intervalMs,
  retryMs,
  logger,
  run,
}: PeriodicJobOptions): PeriodicJob => {
  const retryDelay = retryMs ?? Math.max(1000, Math.round(intervalMs / 10))
  let timer: NodeJS.Timeout | undefined
  let stopped = false
  let current: Promise<boolean> | undefined

  const once = async (): Promise<boolean> => {
    const lock = await kv.tryLock(`job:${name}`, Math.max(intervalMs, 30_000))
    if (!lock) return false
    try {
      await run()
      return true
    } finally {
      await lock.release().catch(() => false)
    }
  }

  const schedule = (delayMs: number) => {
    if (stopped) return
    timer = setTimeout(tick, delayMs)
    timer.unref()
  }

  const tick = () => {
    current = once()
    current.then(
      () => schedule(intervalMs),
      (error: unknown) => {
        logger.warn({ err: error, job: name, retryInMs: retryDelay }, 'periodic job failed')
        schedule(retryDelay)
      },
    )
  }

  schedule(0)
  return {
    runNow: () => once(),
    stop: async () => {
      stopped = true
      if (timer) clearTimeout(timer)
      await current?.catch(() => false)
    },
  }
}
