/**
 * @module platform/bus/contract
 * The behaviour every Bus adapter must show, as a shared vitest suite: the embedded log runs it in
 * embedded.test.ts and Kafka in kafka.int.test.ts. Each test uses fresh topics and groups and a
 * fresh bus from `makeBus`, closed after the test. Waits poll (waitFor); nothing sleeps.
 * Delivery, order and redelivery tests are here; groups in contract-groups.ts, keyConcurrency
 * and lag in contract-concurrency.ts, tracing and health in contract-trace.ts.
 */
import { describe, expect, it } from 'vitest'
import { concurrencyContract } from './contract-concurrency.ts'
import { groupContract } from './contract-groups.ts'
import { type ContractContext, collector, text, useContractContext } from './contract-support.ts'
import { traceContract } from './contract-trace.ts'
import type { Bus } from './port.ts'

export { collector, uniqueName } from './contract-support.ts'

export interface ContractOptions {
  /** Timeout of the waits, for slower adapters. Default 20000. */
  readonly waitMs?: number
}

const deliveryContract = ({ setup, subscribe, until }: ContractContext): void => {
  it('delivers each published message once to a group, with key, value and headers intact', async () => {
    const { bus, topic, groupId } = await setup()
    const binary = Uint8Array.from([0, 1, 2, 253, 254, 255])
    const { received, handler } = collector()
    await subscribe(bus, { groupId, topics: [topic], handler })
    await bus.publish(topic, [
      { key: 'call-1', value: 'first', headers: { ce_type: 'call.started', 'x-n': '1' } },
      { key: 'call-2', value: binary, headers: { ce_type: 'call.ended' } },
      { key: 'call-1', value: '' },
    ])
    await until(() => received.length >= 3, '3 messages')
    expect(received).toHaveLength(3)
    const byValue = (value: string) => received.find((message) => text(message) === value)
    expect(byValue('first')).toMatchObject({
      topic,
      key: 'call-1',
      headers: { ce_type: 'call.started', 'x-n': '1' },
    })
    const second = received.find((message) => message.key === 'call-2')
    expect(second?.value).toEqual(Buffer.from(binary))
    expect(second?.headers).toMatchObject({ ce_type: 'call.ended' })
    expect(byValue('')?.key).toBe('call-1')
    for (const message of received) {
      expect(message.offset).toMatch(/^\d+$/)
      expect(message.timestamp).toBeGreaterThan(Date.now() - 60_000)
    }
  })

  it('smoke: 200 messages over 10 keys from 20 concurrent publish calls arrive once each, in per-key order, with offsets committed', async () => {
    const { bus, topic, groupId } = await setup()
    const first = collector()
    const subscription = await subscribe(bus, {
      groupId,
      topics: [topic],
      handler: first.handler,
    })
    await Promise.all(
      Array.from({ length: 20 }, (_, call) =>
        bus.publish(
          topic,
          Array.from({ length: 10 }, (_, seq) => ({
            key: `key-${(call + (seq % 2)) % 10}`,
            value: JSON.stringify({ call, seq }),
          })),
        ),
      ),
    )
    await until(() => first.received.length >= 200, '200 messages')
    expect(first.received).toHaveLength(200)
    expect(new Set(first.values()).size).toBe(200)
    const byKey = Map.groupBy(first.received, (message) => message.key)
    expect(byKey.size).toBe(10)
    for (const messages of byKey.values()) {
      expect(messages).toHaveLength(20)
      const offsets = messages.map((message) => BigInt(message.offset))
      expect(offsets).toEqual(offsets.toSorted((a, b) => (a < b ? -1 : a > b ? 1 : 0)))
      const sent = messages.map(
        (message) => JSON.parse(text(message)) as { call: number; seq: number },
      )
      for (const ofCall of Map.groupBy(sent, ({ call }) => call).values()) {
        const seqs = ofCall.map(({ seq }) => seq)
        expect(seqs).toEqual(seqs.toSorted((a, b) => a - b))
      }
    }
    await subscription.stop()
    await bus.publish(topic, [{ key: 'key-3', value: 'after' }])
    const second = collector()
    await subscribe(bus, { groupId, topics: [topic], handler: second.handler })
    await until(() => second.received.length >= 1, 'the message published after stop()')
    expect(second.values()).toEqual(['after'])
  })

  it('redelivers a message whose handler rejected, and holds later messages of its partition until it succeeds', async () => {
    const { bus, topic, groupId } = await setup(1)
    const attempts: string[] = []
    let failures = 0
    await subscribe(bus, {
      groupId,
      topics: [topic],
      handler: async (message) => {
        attempts.push(text(message))
        if (text(message) === 'm1' && failures++ < 2) throw new Error('not yet')
      },
    })
    await bus.publish(
      topic,
      ['m0', 'm1', 'm2', 'm3'].map((value) => ({ key: 'k', value })),
    )
    await until(() => attempts.includes('m3'), 'm3')
    expect(attempts).toEqual(['m0', 'm1', 'm1', 'm1', 'm2', 'm3'])
  })

  it('gives a message that was never handled successfully to the next subscription of the group after stop()', async () => {
    const { bus, topic, groupId } = await setup(1)
    let attempts = 0
    const failing = await subscribe(bus, {
      groupId,
      topics: [topic],
      handler: async () => {
        attempts++
        throw new Error('always')
      },
    })
    await bus.publish(topic, [{ key: 'k', value: 'poison' }])
    await until(() => attempts >= 2, 'two attempts')
    await failing.stop()
    const next = collector()
    await subscribe(bus, { groupId, topics: [topic], handler: next.handler })
    await until(() => next.received.length >= 1, 'the redelivery')
    expect(next.values()).toEqual(['poison'])
  })
}

/** Runs the bus contract against fresh buses from `makeBus`. */
export const describeBusContract = (
  name: string,
  makeBus: () => Promise<Bus>,
  { waitMs = 20_000 }: ContractOptions = {},
): void => {
  describe(`${name} bus contract`, () => {
    const contract = useContractContext(makeBus, waitMs)
    deliveryContract(contract)
    groupContract(contract)
    concurrencyContract(contract)
    traceContract(contract)
  })
}
