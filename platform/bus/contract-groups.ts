/**
 * @module platform/bus/contract-groups
 * Bus contract, consumer groups: committed positions, members sharing partitions, independent
 * groups, a join during retries, and where a group without a committed position starts.
 */
import { expect, it } from 'vitest'
import { type ContractContext, collector, text, uniqueName } from './contract-support.ts'
import type { BusMessage } from './port.ts'

/** Registers the group tests (inside the contract's describe). */
export const groupContract = ({ setup, subscribe, until }: ContractContext): void => {
  it('commits offsets after success, so a later subscription of the same group gets only newer messages', async () => {
    const { bus, topic, groupId } = await setup()
    await bus.publish(topic, [
      { key: 'a', value: 'old-1' },
      { key: 'b', value: 'old-2' },
    ])
    const first = collector()
    const subscription = await subscribe(bus, {
      groupId,
      topics: [topic],
      handler: first.handler,
    })
    await until(() => first.received.length >= 2, 'the old messages')
    await subscription.stop()
    await subscription.stop()
    await bus.publish(topic, [
      { key: 'a', value: 'new-1' },
      { key: 'b', value: 'new-2' },
    ])
    const second = collector()
    await subscribe(bus, { groupId, topics: [topic], handler: second.handler })
    await until(() => second.received.length >= 2, 'the new messages')
    expect(second.values().toSorted()).toEqual(['new-1', 'new-2'])
  })

  it('splits the partitions between two members of one group, delivering every message once in total', async () => {
    const { bus, topic, groupId } = await setup(3)
    const one = collector()
    const two = collector()
    await subscribe(bus, { groupId, topics: [topic], handler: one.handler })
    await subscribe(bus, { groupId, topics: [topic], handler: two.handler })
    const messages = Array.from({ length: 60 }, (_, i) => ({ key: `k${i % 30}`, value: `v${i}` }))
    await bus.publish(topic, messages)
    await until(() => one.received.length + two.received.length >= 60, '60 messages')
    const all = [...one.values(), ...two.values()]
    expect(all).toHaveLength(60)
    expect(new Set(all).size).toBe(60)
    expect(one.received.length).toBeGreaterThan(0)
    expect(two.received.length).toBeGreaterThan(0)
    const partitionsOf = (received: BusMessage[]) => new Set(received.map((m) => m.partition))
    const shared = [...partitionsOf(one.received)].filter((p) => partitionsOf(two.received).has(p))
    expect(shared).toEqual([])
  })

  it('lets a new member join while another keeps retrying a failing message, and the group goes on', async () => {
    const { bus, topic, groupId } = await setup(2)
    const one = collector()
    let attempts = 0
    let joined = false
    await subscribe(bus, {
      groupId,
      topics: [topic],
      handler: async (message, control) => {
        if (text(message) === 'poison' && !joined) {
          attempts++
          throw new Error('poison')
        }
        await one.handler(message, control)
      },
    })
    await bus.publish(topic, [{ key: 'poison-key', value: 'poison' }])
    await until(() => attempts >= 2, 'retries of the failing message')
    const two = collector()
    await subscribe(bus, { groupId, topics: [topic], handler: two.handler })
    joined = true
    const values = Array.from({ length: 20 }, (_, i) => `v${i}`)
    await bus.publish(
      topic,
      values.map((value, i) => ({ key: `k${i}`, value })),
    )
    const delivered = () => [...one.values(), ...two.values()]
    await until(() => delivered().length >= 21, 'every message once the failure cleared')
    expect(delivered().toSorted()).toEqual(['poison', ...values].toSorted())
  })

  it('delivers every message to each of two different groups', async () => {
    const { bus, topic } = await setup()
    const one = collector()
    const two = collector()
    await subscribe(bus, { groupId: uniqueName('group'), topics: [topic], handler: one.handler })
    await subscribe(bus, { groupId: uniqueName('group'), topics: [topic], handler: two.handler })
    await bus.publish(
      topic,
      Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })),
    )
    await until(() => one.received.length >= 10 && two.received.length >= 10, '10 messages each')
    const expected = Array.from({ length: 10 }, (_, i) => `v${i}`).toSorted()
    expect(one.values().toSorted()).toEqual(expected)
    expect(two.values().toSorted()).toEqual(expected)
  })

  it('starts a group without committed offsets at the end of the log when fromBeginning is false', async () => {
    const { bus, topic, groupId } = await setup(1)
    await bus.publish(topic, [{ key: 'k', value: 'before' }])
    const { received, handler, values } = collector()
    await subscribe(bus, { groupId, topics: [topic], fromBeginning: false, handler })
    await bus.publish(topic, [{ key: 'k', value: 'after' }])
    await until(() => received.length >= 1, 'the message published after subscribe()')
    expect(values()).toEqual(['after'])
  })
}
