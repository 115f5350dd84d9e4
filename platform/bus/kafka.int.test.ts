import { Kafka, logLevel } from 'kafkajs'
import { describe, expect, it } from 'vitest'
import { serviceAvailable, serviceUrl } from '../../test/services.ts'
import { describeBusContract, uniqueName } from './contract.ts'
import { createKafkaBus } from './kafka.ts'
import type { BusLogger } from './logger.ts'

const available = await serviceAvailable('KAFKA_BROKERS')
const brokers = serviceUrl('KAFKA_BROKERS').split(',')

/** Kafka warnings and errors seen by the tests' buses (kafkajs' own retries included). */
const logged: { level: string; message: string; fields: Record<string, unknown> }[] = []
const logger: BusLogger = {
  debug: () => {},
  info: () => {},
  warn: (fields, message) => logged.push({ level: 'warn', message, fields }),
  error: (fields, message) => logged.push({ level: 'error', message, fields }),
}

/** Short group timings (the broker's minimum session timeout is 6 s) so joins and stops are quick. */
const makeBus = async () =>
  createKafkaBus({
    brokers,
    clientId: 'callbridge-contract',
    logger,
    consumer: {
      sessionTimeoutMs: 6_000,
      heartbeatIntervalMs: 200,
      rebalanceTimeoutMs: 5_000,
      maxWaitTimeMs: 200,
    },
  })

describe.skipIf(!available)('kafka bus', () => {
  describeBusContract('kafka', makeBus, { waitMs: 30_000 })

  it('reports the brokers and the controller in its health details', async () => {
    const bus = await makeBus()
    try {
      const status = await bus.health.check()
      expect(status).toMatchObject({
        ok: true,
        details: { brokers, controller: expect.any(Number) },
      })
    } finally {
      await bus.close()
    }
  })

  it('creates missing topics with the requested partitions and leaves existing ones as they are', async () => {
    const bus = await makeBus()
    const admin = new Kafka({
      clientId: 'callbridge-contract-admin',
      brokers,
      logLevel: logLevel.NOTHING,
    }).admin()
    try {
      const kept = uniqueName('ensure')
      const created = uniqueName('ensure')
      await bus.ensureTopics([{ name: kept, partitions: 2 }])
      await bus.ensureTopics([{ name: kept, partitions: 5 }, { name: created }, { name: kept }])
      await admin.connect()
      const { topics } = await admin.fetchTopicMetadata({ topics: [kept, created] })
      const partitions = Object.fromEntries(topics.map((t) => [t.name, t.partitions.length]))
      expect(partitions).toEqual({ [kept]: 2, [created]: 3 })
      expect(logged.filter(({ level }) => level === 'error')).toEqual([])
    } finally {
      await admin.disconnect()
      await bus.close()
    }
  })
})
