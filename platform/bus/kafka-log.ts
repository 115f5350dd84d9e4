/**
 * @module platform/bus/kafka-log
 * Routes kafkajs' own log lines to the bus logger, warn and error only (kafkajs is told to log
 * nothing below WARN). kafkajs logs every error response of the protocol at ERROR before it
 * retries (`[Connection] Response CreateTopics ...`, a coordinator still loading, ...); those are
 * transient and logged as warnings here. Failures that last reach the caller as rejections.
 */
import { type LogEntry, type logCreator, logLevel } from 'kafkajs'
import type { BusLogger } from './logger.ts'

const isRetriedResponseError = (entry: LogEntry): boolean =>
  entry.namespace === 'Connection' && entry.log.message.startsWith('Response ')

/** A kafkajs `logCreator` writing to `logger`; fields keep kafkajs' names plus `namespace`. */
export const kafkaLogCreator =
  (logger: BusLogger): logCreator =>
  () =>
  (entry) => {
    const { message, timestamp: _timestamp, logger: _logger, ...fields } = entry.log
    const line = { component: 'kafkajs', namespace: entry.namespace, ...fields }
    if (entry.level === logLevel.ERROR && !isRetriedResponseError(entry)) {
      logger.error(line, message)
    } else if (entry.level === logLevel.ERROR || entry.level === logLevel.WARN) {
      logger.warn(line, message)
    }
  }
