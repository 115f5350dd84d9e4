import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { createKafkaBus } from '../../platform/bus/kafka.ts'
import { serviceAvailable, serviceUrl } from '../../test/services.ts'
import type { ConsumerDefinition } from './definition.ts'
import { replayDlq } from './replay.ts'
import {
  dlqEntryOf,
  type Fixture,
  openFixture,
  TestEvent,
  testEvent,
  traceparentOf,
} from './test-fixture.ts'

const available = await serviceAvailable('KAFKA_BROKERS')

/** Short group timings (the broker's minimum session timeout is 6 s) so joins and stops are quick. */
const kafkaFixture = () =>
  openFixture(
    createKafkaBus({
      brokers: serviceUrl('KAFKA_BROKERS').split(','),
      clientId: 'callbridge-runtime-it',
      consumer: {
        sessionTimeoutMs: 6_000,
        heartbeatIntervalMs: 200,
        rebalanceTimeoutMs: 5_000,
        maxWaitTimeMs: 200,
      },
    }),
  )

const uniqueConsumer = (role: string) => `${role}-${randomUUID().slice(0, 8)}`

let fixtures: Fixture[] = []
afterEach(async () => {
  await Promise.all(fixtures.map((fx) => fx.close()))
  fixtures = []
})
const open = () => {
  const fx = kafkaFixture()
  fixtures.push(fx)
  return fx
}

describe.skipIf(!available)('consumer runtime on Kafka', () => {
  it('retries a failing event, parks it in the DLQ after maxAttempts and replays it to a handler that then succeeds', async () => {
    const fx = open()
    const name = uniqueConsumer('round-trip')
    const dlq = await fx.spy('dlq')
    const state = { broken: true, attempts: [] as number[], handled: [] as string[] }
    const definition: ConsumerDefinition<TestEvent> = {
      name,
      topic: fx.topic,
      schema: TestEvent,
      maxAttempts: 3,
      backoff: { baseMs: 20, maxMs: 50 },
      handle: async (event, { attempt, correlationId, headers }) => {
        state.attempts.push(attempt)
        if (state.broken) throw new Error(`CRM down for ${correlationId}`)
        state.handled.push(`${correlationId} n=${event.n} ${headers['traceparent']}`)
      },
    }
    await fx.start(definition)
    await fx.publish(testEvent('kafka-ev-1', 11, 'call-k1'))
    await fx.until(() => dlq.length === 1, 'the DLQ entry', 45_000)
    expect(state.attempts).toEqual([1, 2, 3])
    const parked = dlq[0]
    expect(parked ? dlqEntryOf(parked) : undefined).toMatchObject({
      consumer: name,
      reason: 'exhausted',
      attempts: 3,
      error: { message: 'CRM down for kafka-ev-1' },
      original: { topic: fx.topic, key: 'call-k1', value: '{"n":11}' },
    })
    expect(parked?.headers).toMatchObject({
      ce_id: 'kafka-ev-1',
      traceparent: traceparentOf('kafka-ev-1'),
      'x-dlq-consumer': name,
    })

    state.broken = false
    const result = await replayDlq({ bus: fx.bus, topic: fx.topic, ids: ['kafka-ev-1'] })
    expect(result).toMatchObject({ total: 1, replayed: 1, missingIds: [] })
    await fx.until(() => state.handled.length === 1, 'the replayed event handled', 45_000)
    expect(state.handled).toEqual([`kafka-ev-1 n=11 ${traceparentOf('kafka-ev-1')}`])
    expect(state.attempts.at(-1)).toBe(1)
  })

  it('keeps each key in order while running up to keyConcurrency keys of a partition at once, and reports the lag', async () => {
    const fx = open()
    await fx.bus.ensureTopics([{ name: fx.topic, partitions: 1 }])
    const name = uniqueConsumer('ordering')
    const seen: { key: string | null; n: number }[] = []
    let running = 0
    let max = 0
    await fx.start({
      name,
      topic: fx.topic,
      schema: TestEvent,
      keyConcurrency: 4,
      handle: async (event, { key }) => {
        running++
        max = Math.max(max, running)
        await new Promise((resolve) => setTimeout(resolve, (event.n * 7) % 5))
        seen.push({ key, n: event.n })
        running--
      },
    })
    await fx.publish(
      ...Array.from({ length: 80 }, (_, n) => testEvent(`ord-${n}`, n, `call-${n % 6}`)),
    )
    await fx.until(() => seen.length === 80, '80 handled events', 45_000)
    for (const ofKey of Map.groupBy(seen, ({ key }) => key).values()) {
      const order = ofKey.map(({ n }) => n)
      expect(order).toEqual(order.toSorted((a, b) => a - b))
    }
    expect(max).toBeGreaterThan(1)
    expect(max).toBeLessThanOrEqual(4)
    const lag = () =>
      fx.metricValue('callbridge_consumer_lag', { consumer: name, topic: fx.topic, partition: '0' })
    await fx.until(async () => {
      const exposition = await fx.registry.getSingleMetricAsString('callbridge_consumer_lag')
      return exposition.includes(`topic="${fx.topic}",partition="0"} 0`) && (await lag()) === 0
    }, 'a lag of 0 read from Kafka')
  })
})
