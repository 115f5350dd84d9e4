import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type ConsumerDefinition, type HandlerContext, PermanentError } from './definition.ts'
import {
  dlqEntryOf,
  type Fixture,
  openFixture,
  TestEvent,
  testEvent,
  text,
  traceparentOf,
} from './test-fixture.ts'

let fx: Fixture
beforeEach(() => {
  fx = openFixture()
})
afterEach(async () => {
  await fx.close()
})

const definition = (
  handle: ConsumerDefinition<TestEvent>['handle'],
  extra: Partial<ConsumerDefinition<TestEvent>> = {},
): ConsumerDefinition<TestEvent> => ({
  name: 'tester',
  topic: fx.topic,
  schema: TestEvent,
  handle,
  backoff: { baseMs: 1, maxMs: 2 },
  ...extra,
})

const outcome = (outcome: string, consumer = 'tester') =>
  fx.metricValue('callbridge_consumer_messages_total', { consumer, outcome })

describe('consumer runtime', () => {
  it('hands a valid event to the handler once, with its context, and commits it', async () => {
    const calls: { event: TestEvent; context: HandlerContext }[] = []
    await fx.start(definition(async (event, context) => void calls.push({ event, context })))
    await fx.publish(testEvent('ev-1', 7, 'call-1'))
    await fx.until(() => calls.length === 1, 'the handler call')
    const [call] = calls
    expect(call?.event).toEqual({ n: 7 })
    expect(call?.context).toMatchObject({
      key: 'call-1',
      attempt: 1,
      correlationId: 'ev-1',
      headers: { ce_id: 'ev-1', ce_type: 'test.event', traceparent: traceparentOf('ev-1') },
    })
    await fx.until(async () => (await outcome('ok')) === 1, 'the ok count')
    await fx.until(async () => {
      const lag = await fx.bus.lag?.('callbridge.tester', fx.topic)
      return lag?.every((partition) => partition.lag === 0)
    }, 'the committed offset')
  })

  it('retries a failing handler through the retry topic until it succeeds: attempts 1, 2, 3, one success, waits honoured', async () => {
    const retries = await fx.spy('retry')
    const calls: { attempt: number; at: number }[] = []
    let successes = 0
    await fx.start(
      definition(
        async (_event, { attempt }) => {
          calls.push({ attempt, at: Date.now() })
          if (attempt < 3) throw new Error(`flaky ${attempt}`)
          successes++
        },
        { backoff: { baseMs: 100, maxMs: 1_000 } },
      ),
      { random: () => 0.999 },
    )
    await fx.publish(testEvent('ev-2', 1))
    await fx.until(() => successes === 1, 'the successful third attempt')
    expect(calls.map(({ attempt }) => attempt)).toEqual([1, 2, 3])
    const [first, second, third] = calls.map(({ at }) => at)
    // Full jitter with random 0.999: 99 ms after attempt 1, 199 ms after attempt 2.
    expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(97)
    expect((third ?? 0) - (second ?? 0)).toBeGreaterThanOrEqual(197)
    await fx.until(() => retries.length === 2, 'two retry messages')
    expect(retries.map((m) => m.headers['x-retry-attempt'])).toEqual(['2', '3'])
    for (const retry of retries) {
      expect(retry.headers).toMatchObject({
        'x-retry-for': 'tester',
        ce_id: 'ev-2',
        traceparent: traceparentOf('ev-2'),
        'x-retry-origin': expect.stringMatching(new RegExp(`^${fx.topic}/\\d+/0$`)),
      })
      expect(text(retry)).toBe('{"n":1}')
    }
    expect(retries[0]?.headers['x-retry-error']).toBe('flaky 1')
    expect(await outcome('retry')).toBe(2)
    expect(await outcome('ok')).toBe(1)
  })

  it('parks an event that keeps failing in the DLQ after maxAttempts, with the error, original headers and trace context', async () => {
    const dlq = await fx.spy('dlq')
    let calls = 0
    await fx.start(
      definition(
        async () => {
          calls++
          throw new Error('Zoho said 500')
        },
        { maxAttempts: 3 },
      ),
    )
    await fx.publish(testEvent('ev-3', 3, 'call-3'))
    await fx.until(() => dlq.length === 1, 'the DLQ entry')
    const [parked] = dlq
    const entry = parked ? dlqEntryOf(parked) : undefined
    expect(entry).toMatchObject({
      consumer: 'tester',
      reason: 'exhausted',
      attempts: 3,
      error: { name: 'Error', message: 'Zoho said 500' },
      original: {
        topic: fx.topic,
        offset: '0',
        key: 'call-3',
        value: '{"n":3}',
        valueEncoding: 'utf8',
        headers: { ce_id: 'ev-3', ce_type: 'test.event', traceparent: traceparentOf('ev-3') },
      },
    })
    expect(entry?.error.stack).toMatch(/^Error: Zoho said 500\n\s+at /)
    expect(Object.keys(entry?.original.headers ?? {}).some((h) => h.startsWith('x-'))).toBe(false)
    expect(parked?.headers).toMatchObject({
      ce_id: 'ev-3',
      traceparent: traceparentOf('ev-3'),
      'x-dlq-consumer': 'tester',
      'x-dlq-reason': 'exhausted',
    })
    expect(calls).toBe(3)
    expect(await outcome('retry')).toBe(2)
    expect(await outcome('dlq')).toBe(1)
  })

  it('parks an event at once when the handler throws a PermanentError, keeping the cause', async () => {
    const dlq = await fx.spy('dlq')
    const retries = await fx.spy('retry')
    let calls = 0
    await fx.start(
      definition(async () => {
        calls++
        throw new PermanentError('lead rejected', { cause: new Error('INVALID_DATA: Phone') })
      }),
    )
    await fx.publish(testEvent('ev-4', 4))
    await fx.until(() => dlq.length === 1, 'the DLQ entry')
    const entry = dlq[0] ? dlqEntryOf(dlq[0]) : undefined
    expect(entry).toMatchObject({
      reason: 'permanent',
      attempts: 1,
      error: {
        name: 'PermanentError',
        message: 'lead rejected',
        cause: 'Error: INVALID_DATA: Phone',
      },
    })
    expect(calls).toBe(1)
    expect(retries).toEqual([])
    expect(await outcome('dlq')).toBe(1)
  })

  it('parks schema-invalid and non-JSON values at once without calling the handler', async () => {
    const dlq = await fx.spy('dlq')
    let calls = 0
    await fx.start(definition(async () => void calls++))
    await fx.publish(
      { key: 'k1', value: JSON.stringify({ n: 'seven' }), headers: { ce_id: 'bad-1' } },
      { key: 'k2', value: Uint8Array.from([0xff, 0x00, 0x7b]), headers: { ce_id: 'bad-2' } },
    )
    await fx.until(() => dlq.length === 2, 'two DLQ entries')
    const byId = new Map(dlq.map((m) => [m.headers['ce_id'], dlqEntryOf(m)]))
    expect(byId.get('bad-1')).toMatchObject({ reason: 'schema', attempts: 0 })
    expect(byId.get('bad-1')?.error.message).toMatch(/^schema: n: Invalid input: expected number/)
    expect(byId.get('bad-2')?.error.message).toMatch(/^schema: the value is not JSON/)
    expect(byId.get('bad-2')?.original).toMatchObject({ value: '/wB7', valueEncoding: 'base64' })
    expect(calls).toBe(0)
    expect(await outcome('invalid')).toBe(2)
  })

  it('rejects a definition with an impossible policy before joining anything', async () => {
    await expect(fx.start(definition(async () => {}, { maxAttempts: 0 }))).rejects.toThrow(
      /maxAttempts must be a positive integer/,
    )
    await expect(
      fx.start(definition(async () => {}, { backoff: { baseMs: 10, maxMs: 5 } })),
    ).rejects.toThrow(/baseMs <= maxMs/)
    await expect(fx.start(definition(async () => {}, { name: 'no spaces' }))).rejects.toThrow(
      /plain identifier/,
    )
  })
})
