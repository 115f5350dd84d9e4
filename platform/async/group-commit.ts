/**
 * @module platform/async/group-commit
 * Group commit: items submitted concurrently are handed to ONE call of `run`, and every
 * submitter's promise settles with its own item's result (or the call's error).
 *
 * One call is in flight at a time: while it is, new items gather and go as the next batch the
 * moment it settles. So a batch grows with the load and nobody waits for a timer under load; when
 * nothing is in flight, the first item waits `lingerMs` for company (0: until the current turn of
 * the event loop is over). A batch holds at most `maxItems`.
 */

export interface GroupCommitOptions<I, O> {
  /** Handles one batch; resolves with one result per item, in order. */
  readonly run: (items: I[]) => Promise<readonly O[]>
  readonly maxItems?: number
  readonly lingerMs?: number
  /** Observes each batch as it starts (for batch-size metrics). */
  readonly onFlush?: (size: number) => void
}

interface Waiter<O> {
  readonly resolve: (result: O) => void
  readonly reject: (error: unknown) => void
}

export interface GroupCommit<I, O> {
  /** Resolves with the item's result once its batch has run; rejects with the batch's error. */
  submit(item: I): Promise<O>
  /** Runs what is waiting now and resolves when nothing is waiting or in flight. */
  drain(): Promise<void>
}

export const createGroupCommit = <I, O>({
  run,
  maxItems = 500,
  lingerMs = 0,
  onFlush,
}: GroupCommitOptions<I, O>): GroupCommit<I, O> => {
  let items: I[] = []
  let waiters: Waiter<O>[] = []
  let timer: NodeJS.Timeout | NodeJS.Immediate | undefined
  let running: Promise<void> | undefined

  const cancelTimer = () => {
    if (timer === undefined) return
    if (lingerMs > 0) clearTimeout(timer as NodeJS.Timeout)
    else clearImmediate(timer as NodeJS.Immediate)
    timer = undefined
  }

  const settle = (batch: Waiter<O>[], results: readonly O[]) => {
    if (results.length !== batch.length) {
      const error = new Error(`group commit: ${results.length} results for ${batch.length} items`)
      for (const w of batch) w.reject(error)
      return
    }
    batch.forEach((w, i) => {
      w.resolve(results[i] as O)
    })
  }

  /** Runs the next batch unless one is in flight (it then follows that one). */
  const flush = () => {
    cancelTimer()
    if (running || items.length === 0) return
    const batch = items.length <= maxItems ? items : items.slice(0, maxItems)
    const batchWaiters = waiters.slice(0, batch.length)
    items = items.length <= maxItems ? [] : items.slice(maxItems)
    waiters = waiters.slice(batch.length)
    onFlush?.(batch.length)
    let call: Promise<readonly O[]>
    try {
      call = run(batch)
    } catch (error) {
      call = Promise.reject(error)
    }
    running = call.then(
      (results) => settle(batchWaiters, results),
      (error: unknown) => {
        for (const w of batchWaiters) w.reject(error)
      },
    )
    void running.finally(() => {
      running = undefined
      // Whatever gathered meanwhile has waited long enough: it goes now.
      flush()
    })
  }

  const schedule = () => {
    if (running || timer !== undefined) return
    timer = lingerMs > 0 ? setTimeout(flush, lingerMs) : setImmediate(flush)
  }

  return {
    submit: (item) =>
      new Promise<O>((resolve, reject) => {
        items.push(item)
        waiters.push({ resolve, reject })
        if (items.length >= maxItems) flush()
        else schedule()
      }),
    drain: async () => {
      while (running || items.length > 0) {
        flush()
        await running
      }
    },
  }
}
