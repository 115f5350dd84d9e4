/**
 * @module consumers/runtime/test-fixture
 * What the runtime's tests share: a fresh bus (embedded in memory by default), a fresh topic, a
 * registry, a logger whose lines are collected, events with `ce_*` and `traceparent` headers,
 * spies on `.retry` and `.dlq`, and metric readers. `close()` stops what the test started.
 */
import { randomUUID } from 'node:crypto'
import { Registry } from 'prom-client'
import { z } from 'zod'
import { createEmbeddedBus } from '../../platform/bus/embedded.ts'
import type { Bus, BusMessage, OutgoingMessage } from '../../platform/bus/port.ts'
import { createLogger } from '../../platform/log/logger.ts'
import { waitFor } from '../../test/wait-for.ts'
import type { ConsumerDefinition } from './definition.ts'
import { DlqEntry } from './dlq-schema.ts'
import { type RunningConsumer, type StartConsumerOptions, startConsumer } from './start.ts'

/** The value schema of the test topic. */
export const TestEvent = z.object({ n: z.number() })
export type TestEvent = z.infer<typeof TestEvent>

/** A W3C traceparent whose trace id is derived from `id`, so tests can recognise it. */
export const traceparentOf = (id: string): string =>
  `00-${Buffer.from(id.padEnd(16, '.').slice(0, 16)).toString('hex')}-${'cd'.repeat(8)}-01`

/** A test event as published by the gateway: value `{ n }`, `ce_id` = id, a traceparent. */
export const testEvent = (id: string, n: number, key = id): OutgoingMessage => ({
  key,
  value: JSON.stringify({ n }),
  headers: { ce_id: id, ce_type: 'test.event', traceparent: traceparentOf(id) },
})

/** A message's value as text. */
export const text = (message: BusMessage): string => message.value.toString('utf8')

/** Parses a DLQ message's value. */
export const dlqEntryOf = (message: BusMessage): DlqEntry =>
  DlqEntry.parse(JSON.parse(text(message)))

/** One collected log line. */
export type LogLine = Record<string, unknown>

/** A fresh fixture; pass `bus` to run on another adapter (it is closed by `close()`). */
export const openFixture = (
  bus: Bus = createEmbeddedBus({ path: ':memory:', pollIntervalMs: 10 }),
) => {
  const registry = new Registry()
  const lines: LogLine[] = []
  const logger = createLogger({
    service: 'callbridge-test',
    environment: 'test',
    version: 'test',
    level: 'debug',
    destination: { write: (line: string) => lines.push(JSON.parse(line) as LogLine) },
  })
  const topic = `runtime-${randomUUID().slice(0, 12)}`
  const running: RunningConsumer[] = []

  /** Everything that reaches `<topic>.<suffix>`, read by a group of its own. */
  const spy = async (suffix: 'retry' | 'dlq') => {
    const received: BusMessage[] = []
    await bus.ensureTopics([{ name: `${topic}.${suffix}` }])
    await bus.subscribe({
      groupId: `spy-${randomUUID()}`,
      topics: [`${topic}.${suffix}`],
      handler: async (message) => {
        received.push(message)
      },
    })
    return received
  }

  /** The value of a counter or gauge series, 0 when absent. */
  const metricValue = async (name: string, labels: Record<string, string>): Promise<number> => {
    const metric = await registry.getSingleMetric(name)?.get()
    const series = metric?.values.find((value) =>
      Object.entries(labels).every(([label, wanted]) => String(value.labels[label]) === wanted),
    )
    return series?.value ?? 0
  }

  return {
    bus,
    registry,
    logger,
    lines,
    topic,
    spy,
    metricValue,
    /** Starts a consumer on the fixture's bus, registry and logger. */
    start: async <T>(
      definition: ConsumerDefinition<T>,
      extra: Partial<Pick<StartConsumerOptions<T>, 'now' | 'random'>> = {},
    ) => {
      const consumer = await startConsumer({ bus, definition, logger, metrics: registry, ...extra })
      running.push(consumer)
      return consumer
    },
    publish: (...events: OutgoingMessage[]) => bus.publish(topic, events),
    until: <T>(check: () => T | Promise<T>, what: string, timeoutMs = 15_000) =>
      waitFor(check, { what, timeoutMs }),
    close: async () => {
      await Promise.allSettled(running.map((consumer) => consumer.stop()))
      await bus.close()
    },
  }
}

export type Fixture = ReturnType<typeof openFixture>
