/**
 * @module platform/bus/contract-trace
 * Bus contract, tracing and health: the handler continues the publisher's trace through the
 * message headers, a replayed message keeps its original trace, and the health check passes.
 */
import { SpanKind, trace } from '@opentelemetry/api'
import { expect, it } from 'vitest'
import { type ContractContext, collector, text } from './contract-support.ts'

/** Registers the tracing and health tests (inside the contract's describe). */
export const traceContract = ({
  exporter,
  openBus,
  setup,
  subscribe,
  until,
}: ContractContext): void => {
  it("runs the handler in a CONSUMER span that continues the publisher's trace", async () => {
    const { bus, topic, groupId } = await setup()
    const seen: { traceId: string | undefined; value: string }[] = []
    await subscribe(bus, {
      groupId,
      topics: [topic],
      handler: async (message) => {
        seen.push({ traceId: trace.getActiveSpan()?.spanContext().traceId, value: text(message) })
      },
    })
    const tracer = trace.getTracer('contract')
    const traceId = await tracer.startActiveSpan('publisher', async (span) => {
      await bus.publish(topic, [{ key: 'k', value: 'traced' }])
      span.end()
      return span.spanContext().traceId
    })
    await until(() => seen.length >= 1, 'the traced message')
    expect(seen[0]?.traceId).toBe(traceId)
    const spans = await until(() => {
      const finished = exporter
        .getFinishedSpans()
        .filter((s) => s.spanContext().traceId === traceId)
      const send = finished.find((s) => s.name === `send ${topic}`)
      const process = finished.find((s) => s.name === `process ${topic}`)
      return send && process ? { send, process } : undefined
    }, 'the send and process spans')
    expect(spans.send.kind).toBe(SpanKind.PRODUCER)
    expect(spans.send.attributes['messaging.destination.name']).toBe(topic)
    expect(spans.process.kind).toBe(SpanKind.CONSUMER)
    expect(spans.process.parentSpanContext?.spanId).toBe(spans.send.spanContext().spanId)
    expect(spans.process.attributes['messaging.consumer.group.name']).toBe(groupId)
  })

  it('keeps the traceparent a message already carries (a replayed message stays in its trace)', async () => {
    const { bus, topic, groupId } = await setup()
    const original = `00-${'ab'.repeat(16)}-${'cd'.repeat(8)}-01`
    const { received, handler } = collector()
    const traceIds: (string | undefined)[] = []
    await subscribe(bus, {
      groupId,
      topics: [topic],
      handler: async (message, control) => {
        traceIds.push(trace.getActiveSpan()?.spanContext().traceId)
        await handler(message, control)
      },
    })
    await trace.getTracer('contract').startActiveSpan('replayer', async (span) => {
      await bus.publish(topic, [
        { key: 'k', value: 'replayed', headers: { traceparent: original } },
      ])
      span.end()
    })
    await until(() => received.length >= 1, 'the replayed message')
    expect(received[0]).toMatchObject({ headers: { traceparent: original } })
    expect(traceIds).toEqual(['ab'.repeat(16)])
  })

  it('reports itself healthy', async () => {
    const bus = await openBus()
    const status = await bus.health.check()
    expect(status).toMatchObject({ ok: true })
  })
}
