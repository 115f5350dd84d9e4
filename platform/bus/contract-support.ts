/**
 * @module platform/bus/contract-support
 * What the bus contract suites share: fresh names, a collecting handler, and the per-suite test
 * context (buses closed after each test, an in-memory span exporter behind the global tracer).
 */
import { randomUUID } from 'node:crypto'
import { context, propagation, trace } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { W3CTraceContextPropagator } from '@opentelemetry/core'
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { waitFor } from '../../test/wait-for.ts'
import type { Bus, BusMessage, MessageHandler, SubscribeOptions, Subscription } from './port.ts'

/** Fresh topic and group names, so tests never see each other's messages or offsets. */
export const uniqueName = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 12)}`

/** A message's value as UTF-8 text. */
export const text = (message: BusMessage): string => message.value.toString('utf8')

/** A handler that records what it receives. */
export const collector = () => {
  const received: BusMessage[] = []
  const handler: MessageHandler = async (message) => {
    received.push(message)
  }
  return { received, handler, values: () => received.map(text) }
}

/** The helpers a contract test gets. */
export interface ContractContext {
  /** Spans ended by the bus (and the test) during the suite. */
  readonly exporter: InMemorySpanExporter
  /** A fresh bus, closed after the test. */
  openBus(): Promise<Bus>
  /** A fresh bus with one fresh topic of `partitions` partitions, and a fresh group name. */
  setup(partitions?: number): Promise<{ bus: Bus; topic: string; groupId: string }>
  /** waitFor with the suite's timeout. */
  until<T>(check: () => T, what: string): Promise<NonNullable<T>>
  /** bus.subscribe with a short retry delay (50 ms). */
  subscribe(bus: Bus, options: Omit<SubscribeOptions, 'retryDelayMs'>): Promise<Subscription>
}

/**
 * Registers the suite's hooks (call inside a describe): W3C propagation, async context and an
 * in-memory tracer provider installed globally for the suite; buses closed after each test.
 */
export const useContractContext = (
  makeBus: () => Promise<Bus>,
  waitMs: number,
): ContractContext => {
  const exporter = new InMemorySpanExporter()
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] })
  let buses: Bus[] = []

  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
    propagation.setGlobalPropagator(new W3CTraceContextPropagator())
    trace.setGlobalTracerProvider(provider)
  })
  afterAll(async () => {
    await provider.shutdown()
    trace.disable()
    propagation.disable()
    context.disable()
  })
  afterEach(async () => {
    await Promise.all(buses.map((bus) => bus.close()))
    buses = []
  })

  const openBus = async () => {
    const bus = await makeBus()
    buses.push(bus)
    return bus
  }
  return {
    exporter,
    openBus,
    setup: async (partitions = 3) => {
      const bus = await openBus()
      const topic = uniqueName('contract')
      await bus.ensureTopics([{ name: topic, partitions }])
      return { bus, topic, groupId: uniqueName('group') }
    },
    until: (check, what) => waitFor(check, { timeoutMs: waitMs, what }),
    subscribe: (bus, options) => bus.subscribe({ retryDelayMs: 50, ...options }),
  }
}
