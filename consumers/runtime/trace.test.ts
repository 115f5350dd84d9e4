import { SpanKind, trace } from '@opentelemetry/api'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { installTestTracing } from '../../platform/telemetry/testing.ts'
import { type Fixture, openFixture, TestEvent } from './test-fixture.ts'

let tracing: ReturnType<typeof installTestTracing>
beforeAll(() => {
  tracing = installTestTracing()
})
afterAll(async () => {
  await tracing.uninstall()
})

let fx: Fixture
beforeEach(() => {
  fx = openFixture()
})
afterEach(async () => {
  await fx.close()
})

describe('consumer runtime tracing', () => {
  it("runs the first attempt and the retry each in a CONSUMER span that is a child of the publisher's span, and parks the event in the same trace", async () => {
    const dlq = await fx.spy('dlq')
    const handlerTraces: (string | undefined)[] = []
    await fx.start({
      name: 'traced',
      topic: fx.topic,
      schema: TestEvent,
      maxAttempts: 2,
      backoff: { baseMs: 1, maxMs: 2 },
      handle: async (_event, { logger }) => {
        handlerTraces.push(trace.getActiveSpan()?.spanContext().traceId)
        logger.info('trying')
        throw new Error('always')
      },
    })
    const publisher = await trace.getTracer('test').startActiveSpan('gateway', async (span) => {
      await fx.publish({ key: 'k', value: '{"n":1}', headers: { ce_id: 'traced-1' } })
      span.end()
      return span.spanContext()
    })
    await fx.until(() => dlq.length === 1, 'the parked event')
    expect(handlerTraces).toEqual([publisher.traceId, publisher.traceId])
    const inTrace = tracing.spans().filter((s) => s.spanContext().traceId === publisher.traceId)
    const send = inTrace.find((s) => s.name === `send ${fx.topic}`)
    const processes = inTrace.filter(
      (s) => s.kind === SpanKind.CONSUMER && s.name.startsWith(`process ${fx.topic}`),
    )
    // The DLQ spy's span too: the parked entry carries the event's trace context.
    expect(processes.map((s) => s.name).toSorted()).toEqual([
      `process ${fx.topic}`,
      `process ${fx.topic}.dlq`,
      `process ${fx.topic}.retry`,
    ])
    for (const process of processes) {
      expect(process.parentSpanContext?.spanId).toBe(send?.spanContext().spanId)
    }
    expect(dlq[0]?.headers['traceparent']).toContain(publisher.traceId)
    const tries = fx.lines.filter((line) => line['msg'] === 'trying')
    expect(tries.map((line) => line['trace_id'])).toEqual([publisher.traceId, publisher.traceId])
  })
})
