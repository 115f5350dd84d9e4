import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKafkaBus } from '../platform/bus/kafka.ts'
import type { Bus, BusMessage } from '../platform/bus/port.ts'
import { createRedisKv } from '../platform/kv/redis.ts'
import {
  genericNotification,
  telephonySessionNotification,
} from '../schemas/fixtures/ringcentral.ts'
import { serviceAvailable, serviceUrl } from '../test/services.ts'
import { waitFor } from '../test/wait-for.ts'
import { rcRequest, startGatewayHarness } from './testing/harness.ts'
import { createLocalBroker } from './testing/local-broker.ts'

const kafkaUp = await serviceAvailable('KAFKA_BROKERS')
const redisUp = await serviceAvailable('REDIS_URL')
const URL_RC = 'http://gw.test/webhooks/ringcentral'
const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`

/**
 * Collects the messages of a topic in a fresh consumer group: from now on (the shared broker's
 * topic keeps older runs' messages), or from the beginning on a private broker.
 */
const collect = async (bus: Bus, topic: string, group: string, fromBeginning = false) => {
  const messages: BusMessage[] = []
  await bus.ensureTopics([{ name: topic }])
  const subscription = await bus.subscribe({
    groupId: group,
    topics: [topic],
    fromBeginning,
    handler: async (message) => {
      messages.push(message)
    },
  })
  return { messages, stop: () => subscription.stop() }
}

const uuidOf = (m: BusMessage) =>
  (JSON.parse(m.value.toString('utf8')) as { payload: { uuid: string } }).payload.uuid

describe.skipIf(!kafkaUp || !redisUp)('gateway against a real Kafka broker and Redis', () => {
  let bus: Bus
  beforeAll(() => {
    bus = createKafkaBus({
      brokers: serviceUrl('KAFKA_BROKERS').split(','),
      clientId: `gw-int-${run}`,
    })
  })
  afterAll(() => bus.close())

  it('puts every accepted event in Kafka exactly once, with its key and CloudEvents headers, even when copies race', async () => {
    const kv = createRedisKv({ url: serviceUrl('REDIS_URL'), keyPrefix: `gwint:${run}:` })
    const gw = await startGatewayHarness({ bus, kv })
    try {
      const events = Array.from({ length: 40 }, (_, i) =>
        telephonySessionNotification({
          uuid: `${run}-${i}`,
          telephonySessionId: `s-${run}-${i % 5}`,
          sequence: i,
        }),
      )
      const reader = await collect(bus, 'ringcentral.webhooks', `gw-int-reader-${run}`)
      // Every event sent three times, all at once.
      const answers = await Promise.all(
        events.flatMap((event) => [0, 1, 2].map(() => gw.app.request(URL_RC, rcRequest(event)))),
      )
      expect(answers.map((r) => r.status).every((s) => s === 200)).toBe(true)
      try {
        const mine = () => reader.messages.filter((m) => uuidOf(m).startsWith(`${run}-`))
        await waitFor(() => mine().length >= 40, {
          timeoutMs: 30_000,
          what: 'all 40 events in Kafka',
        })
        const ours = mine()
        expect(ours).toHaveLength(40)
        expect(new Set(ours.map(uuidOf)).size).toBe(40)
        for (const message of ours) {
          const event = events.find((e) => e.uuid === uuidOf(message))
          expect(message.key).toBe(event?.body.telephonySessionId)
          expect(message.headers['ce_id']).toBe(`rc:${event?.uuid}`)
          expect(message.headers['ce_specversion']).toBe('1.0')
          expect(message.headers['ce_type']).toBe('com.ringcentral.telephony-session')
        }
      } finally {
        await reader.stop()
      }
    } finally {
      await gw.stop()
      await kv.close()
    }
  })

  it('loses nothing and answers no 5xx while its broker is stopped and restarted mid-stream', async () => {
    const broker = createLocalBroker({ port: 19092, controllerPort: 19093 })
    await broker.start()
    const outageBus = createKafkaBus({
      brokers: broker.brokers,
      clientId: `gw-outage-${run}`,
      publishTimeoutMs: 3_000,
      connectionTimeoutMs: 500,
    })
    const kv = createRedisKv({ url: serviceUrl('REDIS_URL'), keyPrefix: `gwout:${run}:` })
    const gw = await startGatewayHarness({ bus: outageBus, kv, env: { PUBLISH_BUDGET_MS: '300' } })
    const statuses: number[] = []
    const uuids: string[] = []
    try {
      const send = async (i: number) => {
        const uuid = `${run}-outage-${i}`
        uuids.push(uuid)
        const res = await gw.app.request(URL_RC, rcRequest(genericNotification({ uuid })))
        statuses.push(res.status)
      }
      for (let i = 0; i < 30; i++) await send(i)
      await broker.stop()
      for (let i = 30; i < 60; i++) await send(i)
      const restarting = broker.start()
      for (let i = 60; i < 90; i++) await send(i)
      await restarting
      for (let i = 90; i < 100; i++) await send(i)

      expect(statuses.filter((s) => s !== 200)).toEqual([])
      const reader = await collect(
        outageBus,
        'ringcentral.webhooks',
        `gw-outage-reader-${run}`,
        true,
      )
      try {
        await waitFor(() => new Set(reader.messages.map(uuidOf)).size === 100, {
          timeoutMs: 90_000,
          intervalMs: 200,
          what: 'all 100 events in Kafka after the outage',
        })
        expect([...new Set(reader.messages.map(uuidOf))].sort()).toEqual([...uuids].sort())
      } finally {
        await reader.stop()
      }
    } finally {
      await gw.stop()
      await outageBus.close()
      await kv.close()
      await broker.destroy()
    }
  }, 240_000)
})
