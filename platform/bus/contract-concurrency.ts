/**
 * @module platform/bus/contract-concurrency
 * Bus contract, keyConcurrency and lag: keys of one partition in parallel up to the bound, one
 * key in order, the committed offset held at the first unfinished message, the handler's abort
 * signal, one CONSUMER span per message, and each partition's lag.
 */
import { trace } from '@opentelemetry/api'
import { expect, it } from 'vitest'
import { type ContractContext, collector, text, uniqueName } from './contract-support.ts'
import type { MessageHandler } from './port.ts'

/** A handler that counts how many calls run at once and holds each until `release()`. */
const heldHandler = () => {
  const gate = Promise.withResolvers<void>()
  const state = { running: 0, max: 0, done: [] as string[] }
  const handler: MessageHandler = async (message) => {
    state.running++
    state.max = Math.max(state.max, state.running)
    await gate.promise
    state.running--
    state.done.push(text(message))
  }
  return { state, handler, release: () => gate.resolve() }
}

/** Registers the keyConcurrency and lag tests (inside the contract's describe). */
export const concurrencyContract = ({
  exporter,
  setup,
  subscribe,
  until,
}: ContractContext): void => {
  it('handles messages of different keys of one partition in parallel, never more than keyConcurrency at once', async () => {
    const { bus, topic, groupId } = await setup(1)
    const held = heldHandler()
    await subscribe(bus, { groupId, topics: [topic], keyConcurrency: 3, handler: held.handler })
    await bus.publish(
      topic,
      Array.from({ length: 8 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })),
    )
    await until(() => held.state.running === 3, 'three handlers running at once')
    held.release()
    await until(() => held.state.done.length === 8, 'all eight messages')
    expect(held.state.max).toBe(3)
  })

  it('keeps the messages of one key in publish order while other keys run alongside', async () => {
    const { bus, topic, groupId } = await setup(1)
    const seen: { key: string | null; seq: number }[] = []
    let running = 0
    let max = 0
    await subscribe(bus, {
      groupId,
      topics: [topic],
      keyConcurrency: 4,
      handler: async (message) => {
        running++
        max = Math.max(max, running)
        const { seq } = JSON.parse(text(message)) as { seq: number }
        await new Promise((resolve) => setTimeout(resolve, (seq * 7) % 5))
        seen.push({ key: message.key, seq })
        running--
      },
    })
    await bus.publish(
      topic,
      Array.from({ length: 60 }, (_, seq) => ({
        key: `k${seq % 5}`,
        value: JSON.stringify({ seq }),
      })),
    )
    await until(() => seen.length >= 60, '60 messages')
    for (const ofKey of Map.groupBy(seen, ({ key }) => key).values()) {
      const seqs = ofKey.map(({ seq }) => seq)
      expect(seqs).toEqual(seqs.toSorted((a, b) => a - b))
    }
    expect(max).toBeGreaterThan(1)
    expect(max).toBeLessThanOrEqual(4)
  })

  it('commits only up to the first message not yet handled, so the next subscription starts there', async () => {
    const { bus, topic, groupId } = await setup(1)
    const handled: string[] = []
    let poisonAttempts = 0
    const failing = await subscribe(bus, {
      groupId,
      topics: [topic],
      keyConcurrency: 4,
      handler: async (message) => {
        if (text(message) === 'm3') {
          poisonAttempts++
          throw new Error('m3 keeps failing')
        }
        handled.push(text(message))
      },
    })
    await bus.publish(
      topic,
      ['m0', 'm1', 'm2', 'm3', 'm4', 'm5'].map((value, i) => ({ key: `key-${i}`, value })),
    )
    await until(() => handled.length >= 5 && poisonAttempts >= 2, 'every message but m3')
    expect(handled.toSorted()).toEqual(['m0', 'm1', 'm2', 'm4', 'm5'])
    await until(
      async () => (await bus.lag?.(groupId, topic))?.[0]?.committed === '3',
      'offset 3 committed',
    )
    await failing.stop()
    const next = collector()
    await subscribe(bus, { groupId, topics: [topic], keyConcurrency: 4, handler: next.handler })
    await until(() => next.received.length >= 3, 'the redelivery from m3 on')
    expect(next.values().toSorted()).toEqual(['m3', 'm4', 'm5'])
  })

  it("runs each handler of a keyConcurrency subscription in a CONSUMER span that continues its own publisher's trace", async () => {
    const { bus, topic, groupId } = await setup(1)
    const seen = new Map<string, string | undefined>()
    await subscribe(bus, {
      groupId,
      topics: [topic],
      keyConcurrency: 2,
      handler: async (message) => {
        seen.set(text(message), trace.getActiveSpan()?.spanContext().traceId)
      },
    })
    const tracer = trace.getTracer('contract')
    const publishIn = (value: string) =>
      tracer.startActiveSpan(`publisher ${value}`, async (span) => {
        await bus.publish(topic, [{ key: value, value }])
        span.end()
        return span.spanContext().traceId
      })
    const traces = { a: await publishIn('a'), b: await publishIn('b') }
    await until(() => seen.size >= 2, 'both messages')
    expect(Object.fromEntries(seen)).toEqual(traces)
    for (const traceId of Object.values(traces)) {
      const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId)
      const send = spans.find((s) => s.name === `send ${topic}`)
      const process = await until(
        () =>
          exporter
            .getFinishedSpans()
            .find((s) => s.spanContext().traceId === traceId && s.name === `process ${topic}`),
        'the process span',
      )
      expect(process.parentSpanContext?.spanId).toBe(send?.spanContext().spanId)
    }
  })

  it('aborts the handler signal on stop and gives the unfinished message to the next subscription', async () => {
    const { bus, topic, groupId } = await setup(1)
    let waiting = 0
    const first = await subscribe(bus, {
      groupId,
      topics: [topic],
      keyConcurrency: 2,
      handler: async (_message, { signal }) => {
        waiting++
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))
        throw new Error('stopped while waiting')
      },
    })
    await bus.publish(topic, [{ key: 'k', value: 'waits' }])
    await until(() => waiting >= 1, 'the waiting handler')
    await first.stop()
    const next = collector()
    await subscribe(bus, { groupId, topics: [topic], handler: next.handler })
    await until(() => next.received.length >= 1, 'the redelivery')
    expect(next.values()).toEqual(['waits'])
  })

  it("reports each partition's lag: the end of the log minus the group's committed position", async () => {
    const { bus, topic, groupId } = await setup(1)
    expect(bus.lag).toBeDefined()
    await bus.publish(
      topic,
      ['a', 'b', 'c'].map((value) => ({ key: value, value })),
    )
    expect(await bus.lag?.(groupId, topic)).toEqual([
      { partition: 0, start: '0', end: '3', committed: null, lag: 3 },
    ])
    const { received, handler } = collector()
    await subscribe(bus, { groupId, topics: [topic], handler })
    await until(() => received.length >= 3, 'three messages')
    await until(async () => (await bus.lag?.(groupId, topic))?.[0]?.lag === 0, 'no lag left')
    expect(await bus.lag?.(groupId, topic)).toEqual([
      { partition: 0, start: '0', end: '3', committed: '3', lag: 0 },
    ])
    await expect(bus.lag?.(groupId, uniqueName('missing'))).rejects.toThrow(/unknown topic/)
  })
}
