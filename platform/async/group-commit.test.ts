import { describe, expect, it } from 'vitest'
import { waitFor } from '../../test/wait-for.ts'
import { createGroupCommit } from './group-commit.ts'

const echo = async (items: number[]) => items.map((n) => n * 10)

describe('group commit', () => {
  it('hands items submitted in the same turn to one call and gives each its own result', async () => {
    const batches: number[][] = []
    const commit = createGroupCommit<number, number>({
      run: async (items) => {
        batches.push(items)
        return echo(items)
      },
    })
    expect(await Promise.all([1, 2, 3].map((n) => commit.submit(n)))).toEqual([10, 20, 30])
    expect(batches).toEqual([[1, 2, 3]])
  })

  it('gathers what arrives while a call is in flight into the next call, run when it settles', async () => {
    const batches: number[][] = []
    const gates: (() => void)[] = []
    const commit = createGroupCommit<number, number>({
      run: (items) => {
        batches.push(items)
        return new Promise((resolve) => gates.push(() => resolve(items.map((n) => n * 10))))
      },
    })
    const first = commit.submit(1)
    await waitFor(() => gates.length === 1, { what: 'the first call' })
    const later = [2, 3, 4].map((n) => commit.submit(n))
    expect(batches).toHaveLength(1)
    gates[0]?.()
    expect(await first).toBe(10)
    await waitFor(() => gates.length === 2, { what: 'the second call' })
    gates[1]?.()
    expect(await Promise.all(later)).toEqual([20, 30, 40])
    expect(batches).toEqual([[1], [2, 3, 4]])
  })

  it('splits batches at maxItems', async () => {
    const sizes: number[] = []
    const commit = createGroupCommit<number, number>({
      run: async (items) => {
        sizes.push(items.length)
        return echo(items)
      },
      maxItems: 4,
    })
    await Promise.all(Array.from({ length: 10 }, (_, i) => commit.submit(i)))
    expect(sizes).toEqual([4, 4, 2])
  })

  it('rejects every item of a failed call with its error, and runs the next batch anyway', async () => {
    let calls = 0
    const commit = createGroupCommit<number, number>({
      run: async (items) => {
        calls += 1
        if (calls === 1) throw new Error('store down')
        return echo(items)
      },
    })
    const failed = [1, 2].map((n) => commit.submit(n))
    await expect(Promise.all(failed)).rejects.toThrow('store down')
    await Promise.allSettled(failed)
    expect(await commit.submit(3)).toBe(30)
  })

  it('rejects the batch when the call returns the wrong number of results', async () => {
    const commit = createGroupCommit<number, number>({ run: async () => [1] })
    const both = [commit.submit(1), commit.submit(2)]
    await expect(Promise.all(both)).rejects.toThrow(/1 results for 2 items/)
  })

  it('treats a call that throws synchronously like a failed one', async () => {
    const commit = createGroupCommit<number, number>({
      run: () => {
        throw new Error('bad input')
      },
    })
    await expect(commit.submit(1)).rejects.toThrow('bad input')
  })

  it('drains what is waiting and in flight', async () => {
    const done: number[] = []
    const commit = createGroupCommit<number, number>({
      run: async (items) => {
        done.push(...items)
        return echo(items)
      },
      lingerMs: 60_000,
    })
    const pending = [1, 2, 3].map((n) => commit.submit(n))
    await commit.drain()
    expect(done).toEqual([1, 2, 3])
    await Promise.all(pending)
  })
})
