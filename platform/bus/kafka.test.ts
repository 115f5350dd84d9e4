import { logLevel } from 'kafkajs'
import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import { createKafkaBus } from './kafka.ts'
import { kafkaLogCreator } from './kafka-log.ts'
import type { BusLogger } from './logger.ts'

const recorder = () => {
  const lines: { level: string; message: string; fields: Record<string, unknown> }[] = []
  const record = (level: string) => (fields: Record<string, unknown>, message: string) => {
    lines.push({ level, message, fields })
  }
  const logger: BusLogger = {
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
  }
  return { lines, logger }
}

describe('kafka bus without a broker', () => {
  const unreachable = (logger?: BusLogger) =>
    createKafkaBus({
      brokers: ['127.0.0.1:1'],
      clientId: 'unreachable',
      connectionTimeoutMs: 200,
      publishTimeoutMs: 600,
      healthTimeoutMs: 300,
      ...(logger ? { logger } : {}),
    })

  it('reports itself unhealthy within its health timeout', async () => {
    const bus = unreachable()
    const status = await bus.health.check()
    expect(status).toMatchObject({ ok: false, error: expect.stringMatching(/timed out/) })
    expect(status.latencyMs).toBeLessThan(2_000)
    await bus.close()
  })

  it('rejects a publish that no broker acknowledges within the publish timeout', async () => {
    const { lines, logger } = recorder()
    const bus = unreachable(logger)
    await expect(bus.publish('calls', [{ key: 'k', value: 'v' }])).rejects.toThrow(/timed out/)
    expect(lines).toContainEqual(
      expect.objectContaining({ fields: expect.objectContaining({ component: 'kafkajs' }) }),
    )
    await bus.close()
    await expect(bus.publish('calls', [{ key: 'k', value: 'v' }])).rejects.toThrow(/closed/)
  })
})

describe('kafkajs log mapping', () => {
  const entry = (level: logLevel, namespace: string, message: string) => ({
    namespace,
    level,
    label: logLevel[level],
    log: { timestamp: '2026-01-01T00:00:00.000Z', logger: 'kafkajs', message, broker: 'b:9092' },
  })

  it('writes kafkajs errors as errors and warnings as warnings, with kafkajs fields', () => {
    const { lines, logger } = recorder()
    const log = kafkaLogCreator(logger)(logLevel.WARN)
    log(entry(logLevel.ERROR, 'Consumer', 'Crash: KafkaJSNumberOfRetriesExceeded'))
    log(entry(logLevel.WARN, 'Producer', 'Limiting retries'))
    expect(lines).toEqual([
      {
        level: 'error',
        message: 'Crash: KafkaJSNumberOfRetriesExceeded',
        fields: { component: 'kafkajs', namespace: 'Consumer', broker: 'b:9092' },
      },
      {
        level: 'warn',
        message: 'Limiting retries',
        fields: { component: 'kafkajs', namespace: 'Producer', broker: 'b:9092' },
      },
    ])
  })

  it('writes protocol error responses that kafkajs retries as warnings, and drops info and debug', () => {
    const { lines, logger } = recorder()
    const log = kafkaLogCreator(logger)(logLevel.WARN)
    log(entry(logLevel.ERROR, 'Connection', 'Response InitProducerId(key: 22, version: 1)'))
    log(entry(logLevel.INFO, 'Consumer', 'Starting'))
    log(entry(logLevel.DEBUG, 'Connection', 'Request Fetch'))
    expect(lines.map(({ level, message }) => `${level} ${message}`)).toEqual([
      'warn Response InitProducerId(key: 22, version: 1)',
    ])
  })

  it('accepts a pino logger as the bus logger', () => {
    const logger: BusLogger = pino({ level: 'silent' })
    expect(() =>
      kafkaLogCreator(logger)(logLevel.WARN)(entry(logLevel.WARN, 'X', 'y')),
    ).not.toThrow()
  })
})
