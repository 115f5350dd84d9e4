/**
 * @module consumers/lead-matcher/testing
 * Test support (tests only): the real lead-matcher consumer on the real runtime, an embedded bus
 * in memory, the Zoho simulator behind the real Zoho client and CRM adapter, the memory kv of the
 * Zoho harness (shared by the client and the consumer, as in production) and a ledger on the
 * PGlite database the test file opened. Spies collect `calls.matched` and the DLQ.
 */
import { randomUUID } from 'node:crypto'
import { Registry } from 'prom-client'
import { createZohoCrm } from '../../integrations/zoho/index.ts'
import { startZohoHarness, type ZohoHarness } from '../../integrations/zoho/testing.ts'
import { createEmbeddedBus } from '../../platform/bus/embedded.ts'
import type { Bus, BusMessage } from '../../platform/bus/port.ts'
import type { Db } from '../../platform/db/port.ts'
import { createLogger } from '../../platform/log/logger.ts'
import { type CallCompleted, CallMatched, callTopics } from '../../schemas/calls.ts'
import type { ZohoSimulatorOptions } from '../../simulators/zoho/index.ts'
import { waitFor } from '../../test/wait-for.ts'
import { createLedger } from '../ledger/ledger.ts'
import { DlqEntry, dlqTopicOf, type RunningConsumer, startConsumer } from '../runtime/index.ts'
import { publishEvent } from '../shared/publish.ts'
import { leadMatcherConsumer } from './consumer.ts'
import { leadMatcherMetrics } from './metrics.ts'
import { type LeadMatcherOptions, resolveLeadMatcherOptions } from './options.ts'

/** The simulator's agents (users that can own records). */
export const simUsers = {
  bianca: '5725767000000300002',
  chen: '5725767000000300003',
  dario: '5725767000000300004',
} as const

/** A completed inbound answered call from `from`; `overrides` win. */
export const completedCall = (
  from: string | null,
  overrides: Partial<CallCompleted> = {},
): CallCompleted => ({
  telephonySessionId: `s-${randomUUID().slice(0, 8)}`,
  direction: 'Inbound',
  result: 'answered',
  external: { phoneNumber: from },
  internal: { phoneNumber: '+16505550111' },
  extensionId: '2002',
  startTime: '2026-03-02T10:15:00.000Z',
  durationS: 205,
  voicemail: false,
  recording: { id: `rec-${randomUUID().slice(0, 6)}`, contentUri: 'https://media.example.com/r/1' },
  callLogIds: [`cl-${randomUUID().slice(0, 6)}`],
  source: 'webhook',
  ...overrides,
})

/** Every message that reaches `topic`, read by a group of its own. */
export const spyOn = async (bus: Bus, topic: string): Promise<BusMessage[]> => {
  const received: BusMessage[] = []
  await bus.ensureTopics([{ name: topic }])
  await bus.subscribe({
    groupId: `spy-${randomUUID()}`,
    topics: [topic],
    handler: async (message) => {
      received.push(message)
    },
  })
  return received
}

const json = (message: BusMessage): unknown => JSON.parse(message.value.toString('utf8'))

/** Options of {@link openLeadMatcher}. */
export interface LeadMatcherFixtureOptions {
  readonly db: Db
  readonly sim?: ZohoSimulatorOptions
  readonly options?: Partial<LeadMatcherOptions>
  /** Share another fixture's simulator, kv and bus (a second consumer, e.g. crm-sync). */
  readonly zoho?: ZohoHarness
  readonly bus?: Bus
  readonly maxAttempts?: number
}

/** Starts the lead-matcher on a fresh simulator and bus (unless given); `close` stops all. */
export const openLeadMatcher = async (fixture: LeadMatcherFixtureOptions) => {
  const zoho = fixture.zoho ?? (await startZohoHarness(fixture.sim))
  const bus = fixture.bus ?? createEmbeddedBus({ path: ':memory:', pollIntervalMs: 10 })
  const registry = new Registry()
  const lines: Record<string, unknown>[] = []
  const logger = createLogger({
    service: 'callbridge-test',
    environment: 'test',
    version: 'test',
    level: 'info',
    destination: { write: (line: string) => lines.push(JSON.parse(line)) },
  })
  const ledger = createLedger(fixture.db)
  const crm = createZohoCrm(zoho.client())
  const matched = await spyOn(bus, callTopics.callsMatched.name)
  const dlq = await spyOn(bus, dlqTopicOf(callTopics.callsCompleted.name))
  const options = resolveLeadMatcherOptions({
    leadSource: 'RingCentral',
    pendingRecheckAfterMs: 0,
    ...fixture.options,
  })
  const consumer: RunningConsumer = await startConsumer({
    bus,
    definition: leadMatcherConsumer(
      {
        crm,
        ledger,
        kv: zoho.kv,
        publish: (event) => publishEvent(bus, event),
        options,
        metrics: leadMatcherMetrics(registry),
      },
      { backoff: { baseMs: 20, maxMs: 100 }, maxAttempts: fixture.maxAttempts ?? 8 },
    ),
    logger,
    metrics: registry,
  })

  return {
    zoho,
    sim: zoho.sim,
    bus,
    kv: zoho.kv,
    ledger,
    registry,
    lines,
    /** Publishes `call` on calls.completed as the call-tracker does. */
    deliver: (call: CallCompleted) =>
      publishEvent(bus, {
        topic: callTopics.callsCompleted.name,
        key: call.telephonySessionId,
        id: `call:${call.telephonySessionId}`,
        type: 'callbridge.call.completed',
        source: '/callbridge/call-tracker',
        value: call,
      }),
    /** The calls.matched events so far, parsed. */
    matched: () => matched.map((message) => CallMatched.parse(json(message))),
    /** The DLQ entries of calls.completed so far, parsed. */
    parked: () => dlq.map((message) => DlqEntry.parse(json(message))),
    records: (module: 'Leads' | 'Contacts' | 'Calls') => zoho.sim.state.records(module),
    until: <T>(check: () => T | Promise<T>, what: string, timeoutMs = 15_000) =>
      waitFor(check, { what, timeoutMs }),
    /** Waits until `count` calls.matched events arrived; returns them. */
    matchedCount: (count: number, timeoutMs = 15_000) =>
      waitFor(
        () => {
          const events = matched.map((message) => CallMatched.parse(json(message)))
          return events.length >= count ? events : undefined
        },
        { what: `${count} calls.matched event(s)`, timeoutMs },
      ),
    /** Waits until `count` DLQ entries arrived; returns them. */
    parkedCount: (count: number, timeoutMs = 15_000) =>
      waitFor(
        () => {
          const entries = dlq.map((message) => DlqEntry.parse(json(message)))
          return entries.length >= count ? entries : undefined
        },
        { what: `${count} DLQ entr(ies)`, timeoutMs },
      ),
    close: async () => {
      await consumer.stop()
      if (!fixture.bus) await bus.close()
      if (!fixture.zoho) await zoho.close()
    },
  }
}

export type LeadMatcherFixture = Awaited<ReturnType<typeof openLeadMatcher>>
