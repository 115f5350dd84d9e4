import { describe, expect, it } from 'vitest'
import { runKeyedBatch } from './keyed.ts'
import type { BusMessage } from './port.ts'

const message = (offset: number, key: string | null): BusMessage => ({
  topic: 't',
  partition: 0,
  offset: String(offset),
  key,
  value: Buffer.from(`m${offset}`),
  headers: {},
  timestamp: 0,
})

/** Deliveries that finish only when the test says so. */
const controlled = () => {
  const pending = new Map<string, PromiseWithResolvers<boolean>>()
  const started: string[] = []
  return {
    started,
    deliver: (m: BusMessage) => {
      started.push(m.offset)
      const deferred = Promise.withResolvers<boolean>()
      pending.set(m.offset, deferred)
      return deferred.promise
    },
    finish: (offset: number, result: boolean | Error = true) => {
      const deferred = pending.get(String(offset))
      if (result instanceof Error) deferred?.reject(result)
      else deferred?.resolve(result)
    },
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve))

describe('keyed batch', () => {
  it('starts the earliest message whose key is idle, up to the bound', async () => {
    const control = controlled()
    const batch = [message(0, 'a'), message(1, 'a'), message(2, 'b'), message(3, 'c')]
    const run = runKeyedBatch(batch, {
      keyConcurrency: 2,
      deliver: control.deliver,
      commit: () => {},
      signal: new AbortController().signal,
    })
    await settle()
    expect(control.started).toEqual(['0', '2'])
    control.finish(0)
    await settle()
    expect(control.started).toEqual(['0', '2', '1'])
    for (const offset of [1, 2]) control.finish(offset)
    await settle()
    control.finish(3)
    await expect(run).resolves.toBe(true)
  })

  it('commits the watermark only once every earlier message is done, coalescing advances', async () => {
    const control = controlled()
    const commits: string[] = []
    const batch = [message(10, 'a'), message(11, 'b'), message(12, 'c')]
    const run = runKeyedBatch(batch, {
      keyConcurrency: 3,
      deliver: control.deliver,
      commit: (next) => {
        commits.push(next)
      },
      signal: new AbortController().signal,
    })
    await settle()
    control.finish(12)
    control.finish(11)
    await settle()
    expect(commits).toEqual([])
    control.finish(10)
    await expect(run).resolves.toBe(true)
    expect(commits).toEqual(['13'])
  })

  it('stops starting messages after a stop or a failure, and settles after the running ones', async () => {
    const control = controlled()
    const commits: string[] = []
    const batch = [message(0, 'a'), message(1, 'b'), message(2, 'a')]
    const run = runKeyedBatch(batch, {
      keyConcurrency: 2,
      deliver: control.deliver,
      commit: (next) => {
        commits.push(next)
      },
      signal: new AbortController().signal,
    })
    await settle()
    control.finish(1, new Error('rebalance'))
    await settle()
    control.finish(0)
    await expect(run).rejects.toThrow('rebalance')
    expect(control.started).toEqual(['0', '1'])
    expect(commits).toEqual(['1'])
  })

  it('resolves false when a delivery was stopped before it was handled', async () => {
    const control = controlled()
    const run = runKeyedBatch([message(0, null), message(1, null)], {
      keyConcurrency: 4,
      deliver: control.deliver,
      commit: () => {},
      signal: new AbortController().signal,
    })
    await settle()
    expect(control.started).toEqual(['0'])
    control.finish(0, false)
    await expect(run).resolves.toBe(false)
    expect(control.started).toEqual(['0'])
  })
})
