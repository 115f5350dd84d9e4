/**
 * @module platform/config/vars/service
 * The process, Kafka, Redis, PostgreSQL and the public URL webhooks are sent to.
 */
import { z } from 'zod'
import { hostPortList, httpUrl, port, type VarSpec } from './schemas.ts'

export const serviceVars = {
  CALLBRIDGE_ENV: {
    group: 'Service',
    schema: z.enum(['development', 'test', 'staging', 'production']),
    default: 'development',
    description: 'Deployment environment; stamped on every log line and trace.',
    example: 'production',
  },
  PORT: {
    group: 'Service',
    schema: port,
    default: '3000',
    description:
      'Port the HTTP server listens on (every process serves health and metrics; 0 picks a free port).',
    example: '8080',
  },
  HOST: {
    group: 'Service',
    schema: z.string().min(1),
    default: '0.0.0.0',
    description: 'Address the HTTP roles bind to.',
    example: '127.0.0.1',
  },
  LOG_LEVEL: {
    group: 'Service',
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    default: 'info',
    description: 'Lowest pino level written to stdout.',
    example: 'debug',
  },
  DATA_DIR: {
    group: 'Service',
    schema: z.string().min(1),
    default: '.data',
    description:
      'Folder for the embedded stores (local event log, PGlite database) used when KAFKA_BROKERS or DATABASE_URL are not set.',
    example: '/var/lib/callbridge',
  },
  KAFKA_BROKERS: {
    group: 'Kafka',
    schema: hostPortList,
    description:
      'Comma-separated Kafka bootstrap servers. When unset, events go to the durable embedded log in DATA_DIR (one-process mode).',
    example: 'kafka-0:9092,kafka-1:9092',
  },
  KAFKA_CLIENT_ID: {
    group: 'Kafka',
    schema: z.string().min(1),
    default: 'callbridge',
    description: 'Kafka client id prefix (the role is appended).',
    example: 'callbridge-prod',
  },
  KAFKA_REPLICATION_FACTOR: {
    group: 'Kafka',
    schema: z.coerce.number().int().min(-1),
    default: '-1',
    description: 'Replication factor for topics callbridge creates; -1 uses the broker default.',
    example: '3',
  },
  REDIS_URL: {
    group: 'Redis',
    schema: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }),
    secret: true,
    description:
      'Redis for dedup, caches, locks and shared API budgets. When unset, an in-process store is used (one replica only).',
    example: 'redis://:password@redis:6379/0',
  },
  DATABASE_URL: {
    group: 'Database',
    schema: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }),
    secret: true,
    description:
      'PostgreSQL for the call ledger and admin settings. When unset, an embedded PGlite database in DATA_DIR is used.',
    example: 'postgres://callbridge:password@postgres:5432/callbridge',
  },
  PUBLIC_URL: {
    group: 'Webhooks',
    schema: httpUrl,
    description:
      'Public base URL of the gateway as RingCentral and Zoho reach it; webhook subscriptions point at PUBLIC_URL/webhooks/....',
    example: 'https://callbridge.example.com',
  },
} as const satisfies Record<string, VarSpec>
