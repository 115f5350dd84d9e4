import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ConsumerDefinition } from './definition.ts'
import { type Fixture, openFixture, TestEvent, testEvent } from './test-fixture.ts'

let fx: Fixture
beforeEach(async () => {
  fx = openFixture()
  await fx.bus.ensureTopics([{ name: fx.topic, partitions: 1 }])
})
afterEach(async () => {
  await fx.close()
})

const definition = (
  name: string,
  handle: ConsumerDefinition<TestEvent>['handle'],
  extra: Partial<ConsumerDefinition<TestEvent>> = {},
): ConsumerDefinition<TestEvent> => ({
  name,
  topic: fx.topic,
  schema: TestEvent,
  handle,
  backoff: { baseMs: 1, maxMs: 2 },
  ...extra,
})

describe('consumer runtime flow', () => {
  it('keeps messages of other keys, and later ones of the same key, flowing while a failed message waits for its retry', async () => {
    const retries = await fx.spy('retry')
    const handled: string[] = []
    const running = await fx.start(
      definition(
        'flow',
        async (_event, { correlationId, attempt }) => {
          if (correlationId === 'stuck' && attempt === 1) throw new Error('not yet')
          handled.push(correlationId)
        },
        // A one-minute wait: far longer than the test, so the retry is still waiting at the end.
        { backoff: { baseMs: 60_000, maxMs: 60_000 }, keyConcurrency: 1 },
      ),
      { random: () => 0.999 },
    )
    await fx.publish(
      testEvent('stuck', 0, 'call-a'),
      testEvent('after-same-key', 1, 'call-a'),
      ...['b', 'c', 'd', 'e'].map((key, n) => testEvent(`other-${key}`, n, `call-${key}`)),
    )
    await fx.until(() => handled.length === 5, 'every message but the failed one')
    expect(handled).toEqual(['after-same-key', 'other-b', 'other-c', 'other-d', 'other-e'])
    await fx.until(() => retries.length === 1, 'the retry message')
    // stop() interrupts the retry worker's wait instead of sitting out the minute.
    await running.stop()
    expect(handled).not.toContain('stuck')
  })

  it('lets each of two consumers of one topic retry only its own failures', async () => {
    const retries = await fx.spy('retry')
    const seen = { alpha: [] as string[], beta: [] as string[] }
    const failingOnce = (name: 'alpha' | 'beta', failOn: string) =>
      definition(name, async (_event, { correlationId, attempt }) => {
        seen[name].push(`${correlationId}#${attempt}`)
        if (correlationId === failOn && attempt === 1) throw new Error(`${name} fails once`)
      })
    await fx.start(failingOnce('alpha', 'ev-a'))
    await fx.start(failingOnce('beta', 'ev-b'))
    await fx.publish(testEvent('ev-a', 1), testEvent('ev-b', 2))
    await fx.until(
      () => seen.alpha.includes('ev-a#2') && seen.beta.includes('ev-b#2'),
      'both second attempts',
    )
    expect(seen.alpha.toSorted()).toEqual(['ev-a#1', 'ev-a#2', 'ev-b#1'])
    expect(seen.beta.toSorted()).toEqual(['ev-a#1', 'ev-b#1', 'ev-b#2'])
    expect(
      retries.map((m) => `${m.headers['x-retry-for']}:${m.headers['ce_id']}`).toSorted(),
    ).toEqual(['alpha:ev-a', 'beta:ev-b'])
  })

  it('finishes the in-flight handler on stop(), commits it and leaves the group', async () => {
    const gate = Promise.withResolvers<void>()
    const order: string[] = []
    let started = 0
    const running = await fx.start(
      definition('stopper', async () => {
        started++
        await gate.promise
        order.push('handler finished')
      }),
    )
    await fx.publish(testEvent('slow', 1))
    await fx.until(() => started === 1, 'the handler to start')
    const stopped = running.stop().then(() => order.push('stopped'))
    gate.resolve()
    await stopped
    expect(order).toEqual(['handler finished', 'stopped'])
    expect(await fx.bus.lag?.('callbridge.stopper', fx.topic)).toMatchObject([{ lag: 0 }])
    let again = 0
    await fx.start(definition('stopper', async () => void again++))
    await fx.publish(testEvent('next', 2))
    await fx.until(() => again === 1, 'the next message')
    expect(started).toBe(1)
  })

  it('reports consumer lag per partition at scrape time, for the topic and its retry topic', async () => {
    const gate = Promise.withResolvers<void>()
    let handled = 0
    await fx.start(
      definition(
        'lagger',
        async () => {
          await gate.promise
          handled++
        },
        { keyConcurrency: 1 },
      ),
    )
    const lag = (topic: string) =>
      fx.metricValue('callbridge_consumer_lag', { consumer: 'lagger', topic, partition: '0' })
    await fx.publish(...[1, 2, 3].map((n) => testEvent(`ev-${n}`, n, 'one-key')))
    await fx.until(async () => (await lag(fx.topic)) === 3, 'a lag of 3')
    const exposition = await fx.registry.getSingleMetricAsString('callbridge_consumer_lag')
    expect(exposition).toContain(`topic="${fx.topic}.retry",partition="0"} 0`)
    gate.resolve()
    await fx.until(() => handled === 3, 'three handled messages')
    await fx.until(async () => (await lag(fx.topic)) === 0, 'no lag left')
  })

  it('logs every handler line, and the runtime lines about it, with correlation_id and role', async () => {
    await fx.start(
      definition(
        'logger',
        async (event, { logger, attempt }) => {
          logger.info({ n: event.n }, 'handling')
          if (attempt === 1) throw new Error('once')
        },
        { maxAttempts: 2 },
      ),
    )
    await fx.publish(testEvent('ev-log', 5))
    await fx.until(
      () => fx.lines.filter((line) => line['msg'] === 'handling').length === 2,
      'two handler log lines',
    )
    const aboutEvent = fx.lines.filter((line) => line['correlation_id'] === 'ev-log')
    expect(aboutEvent.map((line) => line['msg'])).toEqual([
      'handling',
      'handler failed; retry scheduled',
      'handling',
    ])
    for (const line of aboutEvent) expect(line).toMatchObject({ role: 'logger' })
    expect(aboutEvent.map((line) => line['attempt'])).toEqual([1, 1, 2])
  })
})
