import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { BusMessage } from '../../platform/bus/port.ts'
import { type ConsumerDefinition, PermanentError } from './definition.ts'
import { listDlq, type ReplayProgress, replayDlq } from './replay.ts'
import { type Fixture, openFixture, TestEvent, testEvent, traceparentOf } from './test-fixture.ts'

let fx: Fixture
beforeEach(() => {
  fx = openFixture()
})
afterEach(async () => {
  await fx.close()
})

const PARKED_AT = Date.parse('2026-03-02T10:15:00.000Z')

/** A consumer that parks everything while `state.broken`, and records what it handled. */
const parkingConsumer = (name: string) => {
  const state = { broken: true, handled: [] as string[], calls: 0 }
  const definition: ConsumerDefinition<TestEvent> = {
    name,
    topic: fx.topic,
    schema: TestEvent,
    handle: async (_event, { correlationId, attempt, headers }) => {
      state.calls++
      if (state.broken) throw new PermanentError(`${name} cannot handle ${correlationId}`)
      state.handled.push(`${correlationId}#${attempt}#${headers['traceparent']}`)
    },
  }
  return { state, definition }
}

/** Everything published to the test topic, read by a group of its own. */
const watchTopic = async () => {
  const received: BusMessage[] = []
  await fx.bus.subscribe({
    groupId: `watch-${fx.topic}`,
    topics: [fx.topic],
    handler: async (message) => void received.push(message),
  })
  return received
}

const parkThree = async (name = 'parker') => {
  const consumer = parkingConsumer(name)
  const dlq = await fx.spy('dlq')
  await fx.start(consumer.definition, { now: () => PARKED_AT })
  await fx.publish(testEvent('ev-1', 1), testEvent('ev-2', 2), testEvent('ev-3', 3))
  await fx.until(() => dlq.length === 3, 'three parked events')
  return consumer
}

describe('DLQ replay and listing', () => {
  it('lists the parked entries with id, consumer, error, attempts and parkedAt', async () => {
    await parkThree()
    await fx.bus.publish(`${fx.topic}.dlq`, [{ key: 'junk', value: 'not an entry' }])
    const listing = await listDlq({ bus: fx.bus, topic: fx.topic })
    expect(listing.malformed).toBe(1)
    expect(listing.entries.map((entry) => entry.id).toSorted()).toEqual(['ev-1', 'ev-2', 'ev-3'])
    expect(listing.entries.find((entry) => entry.id === 'ev-2')).toMatchObject({
      consumer: 'parker',
      reason: 'permanent',
      error: 'parker cannot handle ev-2',
      attempts: 1,
      parkedAt: '2026-03-02T10:15:00.000Z',
      key: 'ev-2',
    })
    expect(await listDlq({ bus: fx.bus, topic: fx.topic, consumer: 'someone-else' })).toEqual({
      entries: [],
      malformed: 1,
    })
  })

  it('replays one entry by id to the original topic with its original value and headers, and the handler then succeeds', async () => {
    const consumer = await parkThree()
    const topic = await watchTopic()
    consumer.state.broken = false
    const result = await replayDlq({ bus: fx.bus, topic: fx.topic, ids: ['ev-2', 'ev-404'] })
    expect(result).toEqual({
      total: 3,
      scanned: 3,
      replayed: 1,
      malformed: 0,
      missingIds: ['ev-404'],
    })
    await fx.until(() => consumer.state.handled.length === 1, 'the replayed event handled')
    expect(consumer.state.handled).toEqual([`ev-2#1#${traceparentOf('ev-2')}`])
    const replayed = await fx.until(
      () => topic.find((message) => message.headers['x-replay-for']),
      'the replayed message on the topic',
    )
    expect(replayed.value.toString()).toBe('{"n":2}')
    expect(replayed.key).toBe('ev-2')
    expect(replayed.headers).toMatchObject({
      ce_id: 'ev-2',
      ce_type: 'test.event',
      traceparent: traceparentOf('ev-2'),
      'x-replay-for': 'parker',
      'x-replay-of': expect.stringMatching(new RegExp(`^${fx.topic}\\.dlq/\\d+/\\d+$`)),
    })
  })

  it('replays every entry when no id is given, reporting progress up to the total', async () => {
    const consumer = await parkThree()
    consumer.state.broken = false
    const progress: ReplayProgress[] = []
    const result = await replayDlq({
      bus: fx.bus,
      topic: fx.topic,
      onProgress: (step) => progress.push(step),
    })
    expect(result).toMatchObject({ total: 3, scanned: 3, replayed: 3, missingIds: [] })
    expect(progress[0]).toEqual({ total: 3, scanned: 0, replayed: 0 })
    expect(progress.at(-1)).toEqual({ total: 3, scanned: 3, replayed: 3 })
    await fx.until(() => consumer.state.handled.length === 3, 'all three handled')
    expect(consumer.state.handled.map((line) => line.split('#')[0]).toSorted()).toEqual([
      'ev-1',
      'ev-2',
      'ev-3',
    ])
  })

  it("hands a replay only to the consumer that parked it: the topic's other consumers skip it", async () => {
    const parker = parkingConsumer('parker')
    const bystander = parkingConsumer('bystander')
    bystander.state.broken = false
    const dlq = await fx.spy('dlq')
    await fx.start(parker.definition)
    await fx.start(bystander.definition)
    await fx.publish(testEvent('ev-9', 9))
    await fx.until(() => dlq.length === 1 && bystander.state.calls === 1, 'park and bystander')
    parker.state.broken = false
    await replayDlq({ bus: fx.bus, topic: fx.topic })
    await fx.until(() => parker.state.handled.length === 1, 'the parker handling the replay')
    await fx.until(async () => {
      const lag = await fx.bus.lag?.('callbridge.bystander', fx.topic)
      return lag?.every((partition) => partition.lag === 0)
    }, 'the bystander past the replay')
    expect(bystander.state.calls).toBe(1)
  })

  it('reads an empty DLQ without waiting for anything', async () => {
    await fx.bus.ensureTopics([{ name: `${fx.topic}.dlq` }])
    expect(await listDlq({ bus: fx.bus, topic: fx.topic })).toEqual({ entries: [], malformed: 0 })
    expect(await replayDlq({ bus: fx.bus, topic: fx.topic })).toEqual({
      total: 0,
      scanned: 0,
      replayed: 0,
      malformed: 0,
      missingIds: [],
    })
  })
})
