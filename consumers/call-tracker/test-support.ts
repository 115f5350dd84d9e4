/**
 * @module consumers/call-tracker/test-support
 * What the call-tracker's integration tests share: the RingCentral simulator (short call-log
 * delay, no rate limits) with a webhook subscription whose deliveries a small bridge publishes to
 * `ringcentral.webhooks` the way the gateway does (without its dedup, so duplicates reach the
 * consumer), an embedded bus, the memory kv, the ledger on a PGlite database, a spy on
 * `calls.completed` and collected log lines. Only tests import this file.
 */
import { randomInt } from 'node:crypto'
import { Hono } from 'hono'
import { createRingCentralClient } from '../../integrations/ringcentral/index.ts'
import { createEmbeddedBus } from '../../platform/bus/embedded.ts'
import type { BusMessage } from '../../platform/bus/port.ts'
import type { Db } from '../../platform/db/port.ts'
import { createMemoryKv } from '../../platform/kv/memory.ts'
import { createLogger } from '../../platform/log/logger.ts'
import { createMetricsRegistry } from '../../platform/metrics/registry.ts'
import { CallCompleted } from '../../schemas/calls.ts'
import {
  cloudEventHeaders,
  ringCentralCloudEventSource,
  ringCentralCloudEventType,
} from '../../schemas/cloudevents.ts'
import { ringCentralDedupKey } from '../../schemas/dedup-key.ts'
import { parseRingCentralNotification } from '../../schemas/ringcentral/classify.ts'
import { ringCentralMessageKey, topicNames } from '../../schemas/topics.ts'
import { startRingCentralSimulator } from '../../simulators/ringcentral/index.ts'
import { serveApp } from '../../simulators/shared/serve.ts'
import { waitFor } from '../../test/wait-for.ts'
import { createLedger } from '../ledger/ledger.ts'
import { type RunningConsumer, retryTopicOf, startConsumer } from '../runtime/index.ts'
import { completedEvent } from './complete.ts'
import { type CallTrackerConsumerOptions, callTrackerConsumer } from './handler.ts'
import { createSessionStore } from './state-store.ts'

/** One collected log line. */
export type LogLine = Record<string, unknown>

export interface CallTrackerFixtureOptions {
  readonly db: Db
  /** Call end → call-log records visible. Default 150 ms. */
  readonly callLogDelayMs?: number
  /** Call log → recording visible. Default 50 ms. */
  readonly recordingDelayMs?: number
  /** Subscribe the bridge to the simulator's webhooks. Default true. */
  readonly subscribe?: boolean
}

/**
 * Opens a fixture. Every fixture gets its own simulator seed, so telephonySessionIds never
 * collide in a database shared by the tests of a file.
 */
export const openCallTrackerFixture = async ({
  db,
  callLogDelayMs = 150,
  recordingDelayMs = 50,
  subscribe = true,
}: CallTrackerFixtureOptions) => {
  const rcSim = await startRingCentralSimulator({
    callLogDelayMs,
    recordingDelayMs,
    rateLimits: false,
    seed: randomInt(1, 2 ** 31),
  })
  const bus = createEmbeddedBus({ path: ':memory:', pollIntervalMs: 10 })
  const kv = createMemoryKv()
  const ledger = createLedger(db)
  const lines: LogLine[] = []
  const logger = createLogger({
    service: 'callbridge-test',
    environment: 'test',
    version: 'test',
    level: 'debug',
    destination: { write: (line: string) => lines.push(JSON.parse(line) as LogLine) },
  })
  const rc = createRingCentralClient({
    serverUrl: rcSim.url,
    clientId: 'sim-rc-client-id',
    clientSecret: 'sim-rc-client-secret',
    jwt: 'sim-rc-jwt-credential',
    kv,
    budgets: { Light: 1000, Medium: 1000, Heavy: 1000, Auth: 1000 },
  })
  await bus.ensureTopics(
    [
      topicNames.ringcentralWebhooks,
      retryTopicOf(topicNames.ringcentralWebhooks),
      completedEvent.topic,
    ].map((name) => ({ name })),
  )

  // The gateway's publishing step, minus verification and dedup.
  const bridge = new Hono().post('/hook', async (c) => {
    const validationToken = c.req.header('validation-token')
    if (validationToken !== undefined) {
      c.header('Validation-Token', validationToken)
      return c.body(null, 200)
    }
    const parsed = parseRingCentralNotification(await c.req.json())
    if (!parsed.ok) return c.text(parsed.error, 400)
    const { envelope, kind } = parsed
    const receivedAt = new Date().toISOString()
    const dedupKey = ringCentralDedupKey(envelope)
    await bus.publish(topicNames.ringcentralWebhooks, [
      {
        key: ringCentralMessageKey(envelope),
        value: JSON.stringify({
          provider: 'ringcentral',
          kind,
          receivedAt,
          dedupKey,
          payload: envelope,
        }),
        headers: {
          ...cloudEventHeaders({
            id: dedupKey,
            source: ringCentralCloudEventSource(envelope),
            type: ringCentralCloudEventType(kind),
            time: receivedAt,
          }),
        },
      },
    ])
    return c.json({ status: 'accepted' })
  })
  const served = await serveApp(bridge)
  if (subscribe) {
    await rc.createSubscription({
      eventFilters: [
        '/restapi/v1.0/account/~/telephony/sessions',
        '/restapi/v1.0/account/~/extension/~/voicemail',
      ],
      address: `${served.url}/hook`,
      verificationToken: 'call-tracker-test-token',
    })
  }

  const completed: BusMessage[] = []
  await bus.subscribe({
    groupId: 'spy-calls-completed',
    topics: [completedEvent.topic],
    handler: async (message) => {
      completed.push(message)
    },
  })
  const running: RunningConsumer[] = []

  return {
    sim: rcSim.sim,
    /** The simulator's platform URL (RINGCENTRAL_SERVER_URL). */
    url: rcSim.url,
    rc,
    bus,
    kv,
    ledger,
    logger,
    lines,
    /** Every message published on `calls.completed` so far. */
    completed,
    /** The parsed values of `completed`. */
    completedCalls: () =>
      completed.map((m) => CallCompleted.parse(JSON.parse(m.value.toString('utf8')))),
    /** Starts the call-tracker consumer with short retries (options override). */
    startTracker: async (options: Partial<CallTrackerConsumerOptions> = {}) => {
      const definition = callTrackerConsumer({
        bus,
        sessions: createSessionStore({ kv }),
        ledger,
        callLog: rc,
        region: 'US',
        backoff: { baseMs: 100, maxMs: 100 },
        callLogDelayMs: 0,
        ...options,
      })
      const consumer = await startConsumer({
        bus,
        definition,
        logger,
        metrics: createMetricsRegistry({ defaults: false }),
        random: () => 0.5,
      })
      running.push(consumer)
      return consumer
    },
    /**
     * Resolves once every webhook event and retry has been handled and the spy has read every
     * `calls.completed` message (all lags 0), after the simulator delivered everything queued.
     */
    drained: async () => {
      await rcSim.sim.flush()
      const groups = [
        ['callbridge.call-tracker', topicNames.ringcentralWebhooks],
        ['callbridge.call-tracker.retry', retryTopicOf(topicNames.ringcentralWebhooks)],
        ['spy-calls-completed', completedEvent.topic],
      ] as const
      await waitFor(
        async () => {
          for (const [group, topic] of groups) {
            const lag = (await bus.lag?.(group, topic)) ?? []
            if (lag.some((partition) => partition.lag > 0)) return false
          }
          return true
        },
        { what: 'every event handled', timeoutMs: 10_000 },
      )
    },
    /** Log lines whose `msg` is `msg`. */
    logged: (msg: string) => lines.filter((line) => line['msg'] === msg),
    until: <T>(check: () => T | Promise<T>, what: string, timeoutMs = 10_000) =>
      waitFor(check, { what, timeoutMs }),
    close: async () => {
      await Promise.allSettled(running.map((consumer) => consumer.stop()))
      rc.close()
      await served.close()
      await rcSim.close()
      await bus.close()
      await kv.close()
    },
  }
}

export type CallTrackerFixture = Awaited<ReturnType<typeof openCallTrackerFixture>>

/** An inbound call to the company number, as the tests place it. */
export const inbound = { direction: 'Inbound', from: '+15550111', to: '+15550100' } as const

/** Waits until the call-log records of `calls` can be read (the simulator's delay has passed). */
export const callLogsVisible = (
  f: CallTrackerFixture,
  calls: readonly { readonly telephonySessionId: string }[],
) =>
  f.until(() => {
    const visible = new Set(
      f.sim.state.callLog
        .filter((e) => Date.parse(e.availableAt) <= Date.now())
        .map((e) => e.telephonySessionId),
    )
    return calls.every((c) => visible.has(c.telephonySessionId))
  }, 'the call-log records')
