import { Writable } from 'node:stream'
import { httpInstrumentationMiddleware } from '@hono/otel'
import { SpanKind } from '@opentelemetry/api'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serviceAvailable, serviceUrl } from '../../test/services.ts'
import { waitFor } from '../../test/wait-for.ts'
import { createKafkaBus } from '../bus/kafka.ts'
import type { Bus, Subscription } from '../bus/port.ts'
import { createLogger } from '../log/logger.ts'
import { installTestTracing } from './testing.ts'

const available = await serviceAvailable('KAFKA_BROKERS')

describe.skipIf(!available)('one trace from an HTTP request, across Kafka, into a consumer', () => {
  const tracing = installTestTracing()
  const suffix = `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`
  const topic = `trace-test-${suffix}`
  const lines: Record<string, unknown>[] = []
  const logger = createLogger({
    service: 'callbridge',
    role: 'consumer',
    environment: 'test',
    version: 'test',
    level: 'info',
    destination: new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line))
        done()
      },
    }),
  })
  let bus: Bus
  let subscription: Subscription | undefined

  beforeAll(async () => {
    bus = createKafkaBus({
      brokers: serviceUrl('KAFKA_BROKERS').split(','),
      clientId: 'trace-test',
    })
    await bus.ensureTopics([{ name: topic, partitions: 1 }])
  })
  afterAll(async () => {
    await subscription?.stop()
    await bus?.close()
    await tracing.uninstall()
  })

  it('continues the request trace in the consumer handler, and the handler log lines carry its trace id', async () => {
    const received: string[] = []
    subscription = await bus.subscribe({
      groupId: `trace-group-${suffix}`,
      topics: [topic],
      handler: async (message) => {
        logger.info({ correlation_id: message.key }, 'handled event')
        received.push(String(message.value))
      },
    })
    const app = new Hono()
    app.use(httpInstrumentationMiddleware({ serviceName: 'callbridge' }))
    app.post('/events', async (c) => {
      await bus.publish(topic, [{ key: 'call-1', value: await c.req.text() }])
      return c.json({ ok: true })
    })

    const response = await app.request('/events', { method: 'POST', body: 'hello' })
    expect(response.status).toBe(200)
    await waitFor(() => received.length === 1 && lines.length === 1, {
      what: 'the consumer to handle the event',
    })

    const spans = tracing.spans()
    const server = spans.find((s) => s.kind === SpanKind.SERVER)
    const producer = spans.find((s) => s.kind === SpanKind.PRODUCER)
    const consumer = await waitFor(
      () => tracing.spans().find((s) => s.kind === SpanKind.CONSUMER),
      {
        what: 'the consumer span to end',
      },
    )
    expect(server).toBeDefined()
    expect(producer).toBeDefined()
    const traceId = server?.spanContext().traceId
    expect(producer?.spanContext().traceId).toBe(traceId)
    expect(consumer.spanContext().traceId).toBe(traceId)
    expect(lines[0]?.['trace_id']).toBe(traceId)
    expect(lines[0]?.['span_id']).toBe(consumer.spanContext().spanId)
    expect(lines[0]?.['correlation_id']).toBe('call-1')
  })
})
