import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitFor } from '../../test/wait-for.ts'
import { collector, describeBusContract, uniqueName } from './contract.ts'
import { createEmbeddedBus } from './embedded.ts'
import { assignPartitions, type GroupMember } from './embedded-group.ts'
import { partitionOf } from './embedded-store.ts'

let dir = ''
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'callbridge-bus-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})
const freshFile = () => path.join(dir, `${uniqueName('log')}.sqlite`)

describeBusContract('embedded (sqlite file)', async () =>
  createEmbeddedBus({ path: freshFile(), pollIntervalMs: 20 }),
)

describe('embedded bus', () => {
  it('delivers messages published before a close to a bus reopened on the same file, remembering committed offsets', async () => {
    const file = freshFile()
    const groupId = uniqueName('group')
    const first = createEmbeddedBus({ path: file })
    await first.publish('calls', [
      { key: 'a', value: 'one' },
      { key: 'b', value: 'two' },
    ])
    const consumed = collector()
    const subscription = await first.subscribe({
      groupId,
      topics: ['calls'],
      handler: consumed.handler,
    })
    await waitFor(() => consumed.received.length >= 2, { what: 'the first two messages' })
    await first.publish('calls', [{ key: 'c', value: 'three' }])
    await waitFor(() => consumed.received.length >= 3, { what: 'the third message' })
    await subscription.stop()
    await first.publish('calls', [{ key: 'd', value: 'four' }])
    await first.close()

    const reopened = createEmbeddedBus({ path: file })
    const later = collector()
    await reopened.subscribe({ groupId, topics: ['calls'], handler: later.handler })
    await waitFor(() => later.received.length >= 1, { what: 'the message left unconsumed' })
    expect(later.values()).toEqual(['four'])
    const otherGroup = collector()
    await reopened.subscribe({
      groupId: uniqueName('group'),
      topics: ['calls'],
      handler: otherGroup.handler,
    })
    await waitFor(() => otherGroup.received.length >= 4, { what: 'all four messages' })
    expect(otherGroup.values().toSorted()).toEqual(['four', 'one', 'three', 'two'])
    await reopened.close()
  })

  it('keeps a publish that resolved even when the process is killed right after it', async () => {
    const file = freshFile()
    const embedded = path.join(path.dirname(fileURLToPath(import.meta.url)), 'embedded.ts')
    const script = `
      import { createEmbeddedBus } from ${JSON.stringify(embedded)}
      const bus = createEmbeddedBus({ path: ${JSON.stringify(file)} })
      await bus.publish('calls', [{ key: 'k', value: 'survives' }])
      process.kill(process.pid, 'SIGKILL')
    `
    const signal = await new Promise<NodeJS.Signals | null>((resolve, reject) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
        stdio: 'ignore',
      })
      child.once('error', reject)
      child.once('exit', (_code, killedBy) => resolve(killedBy))
    })
    expect(signal).toBe('SIGKILL')
    const bus = createEmbeddedBus({ path: file })
    const { received, handler, values } = collector()
    await bus.subscribe({ groupId: uniqueName('group'), topics: ['calls'], handler })
    await waitFor(() => received.length >= 1, { what: 'the message of the killed process' })
    expect(values()).toEqual(['survives'])
    await bus.close()
  })

  it('works on an in-memory log', async () => {
    const bus = createEmbeddedBus({ path: ':memory:' })
    const { received, handler, values } = collector()
    await bus.subscribe({ groupId: 'g', topics: ['t'], handler })
    await bus.publish('t', [{ key: 'k', value: 'v' }])
    await waitFor(() => received.length >= 1, { what: 'the message' })
    expect(values()).toEqual(['v'])
    expect(await bus.health.check()).toMatchObject({ ok: true, details: { journal: 'memory' } })
    await bus.close()
    await expect(bus.publish('t', [{ key: 'k', value: 'late' }])).rejects.toThrow(/closed/)
  })

  it('maps a key to the same partition every time, spreading keys over all partitions', () => {
    expect(partitionOf('call-42', 3)).toBe(partitionOf('call-42', 3))
    const used = new Set(Array.from({ length: 100 }, (_, i) => partitionOf(`call-${i}`, 3)))
    expect([...used].toSorted()).toEqual([0, 1, 2])
  })

  it('deals partitions so that members of one group differ by at most one partition', () => {
    const member = (topics: string[]): GroupMember => ({
      topics,
      assign: () => {},
      revoke: async () => {},
    })
    const a = member(['t', 'u'])
    const b = member(['t'])
    const plan = assignPartitions([a, b], (topic) => (topic === 't' ? 3 : 2))
    expect(plan.get(a)).toEqual([
      { topic: 't', partition: 0 },
      { topic: 't', partition: 2 },
      { topic: 'u', partition: 0 },
      { topic: 'u', partition: 1 },
    ])
    expect(plan.get(b)).toEqual([{ topic: 't', partition: 1 }])
  })
})
