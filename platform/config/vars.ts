/**
 * @module platform/config/vars
 * Every setting callbridge reads, as one table: its zod schema, default, whether it is a secret,
 * and the words and example that the error messages and docs/configuration.md are made from.
 * Names are hierarchical environment variable names (`KAFKA_BROKERS`, `ZOHO_CLIENT_ID`); a JSON
 * config file may nest them (`{ "zoho": { "client_id": "..." } }`).
 */
import { z } from 'zod'

export interface VarSpec {
  readonly schema: z.ZodType
  readonly group: string
  readonly description: string
  readonly example: string
  /** Used when no source sets the variable. Absent = optional (or required, see `required`). */
  readonly default?: string
  /** Start-up fails when it is missing. */
  readonly required?: boolean
  /** Never printed, logged or exported: `callbridge config` shows it as `<redacted>`. */
  readonly secret?: boolean
}

const list = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  )
  .pipe(z.array(z.string()).min(1, 'must list at least one value'))

const hostPortList = list.pipe(
  z.array(
    z
      .string()
      .regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'each entry must be host:port, e.g. 127.0.0.1:9092'),
  ),
)

const port = z.coerce
  .number({ error: 'must be a port number' })
  .int('must be a whole number')
  .min(0, 'must be between 0 and 65535')
  .max(65535, 'must be between 0 and 65535')
const positiveInt = z.coerce
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .positive('must be greater than 0')
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
const bool = z.stringbool({ error: 'must be true or false' })

/** The configuration table. Order here is the order of docs/configuration.md. */
export const vars = {
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
  RINGCENTRAL_SERVER_URL: {
    group: 'RingCentral',
    schema: httpUrl,
    default: 'https://platform.ringcentral.com',
    description: 'RingCentral platform API base URL (a simulator URL in tests and the demo).',
    example: 'https://platform.ringcentral.com',
  },
  RINGCENTRAL_CLIENT_ID: {
    group: 'RingCentral',
    schema: z.string().min(1),
    description: 'Client id of the RingCentral app (JWT auth flow).',
    example: 'AbCdEfGhIjKlMnOpQrStUv',
  },
  RINGCENTRAL_CLIENT_SECRET: {
    group: 'RingCentral',
    schema: z.string().min(1),
    secret: true,
    description: 'Client secret of the RingCentral app.',
    example: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
  },
  RINGCENTRAL_JWT: {
    group: 'RingCentral',
    schema: z.string().min(1),
    secret: true,
    description: 'JWT credential of the RingCentral user the app acts as.',
    example: 'eyJraWQiOi...',
  },
  RINGCENTRAL_WEBHOOK_TOKEN: {
    group: 'RingCentral',
    schema: list,
    secret: true,
    description:
      'Verification tokens accepted on RingCentral webhooks, comma-separated: current first, then previous ones while rotating.',
    example: 'current-token,previous-token',
  },
  RINGCENTRAL_EVENT_FILTERS: {
    group: 'RingCentral',
    schema: list,
    default:
      '/restapi/v1.0/account/~/telephony/sessions,/restapi/v1.0/account/~/extension/~/voicemail',
    description:
      'Event filters of the webhook subscription the keeper maintains (telephony sessions of the whole account, voicemail of the JWT user).',
    example: '/restapi/v1.0/account/~/telephony/sessions',
  },
  SUBSCRIPTION_CHECK_INTERVAL_S: {
    group: 'RingCentral',
    schema: positiveInt,
    default: '300',
    description:
      'How often the gateway checks the RingCentral subscription and the Zoho watch channel (renew, recreate when blacklisted or gone).',
    example: '60',
  },
  RECONCILE_INTERVAL_S: {
    group: 'RingCentral',
    schema: positiveInt,
    default: '300',
    description:
      'Seconds between call-log reconciler runs (one call-log sync per run, on one replica at a time): calls whose webhooks were lost still reach the CRM.',
    example: '120',
  },
  ZOHO_ACCOUNTS_URL: {
    group: 'Zoho',
    schema: httpUrl,
    default: 'https://accounts.zoho.com',
    description:
      'Zoho Accounts server of your data centre (accounts.zoho.eu, .in, .com.au, ...); the API domain comes from the token response.',
    example: 'https://accounts.zoho.eu',
  },
  ZOHO_CLIENT_ID: {
    group: 'Zoho',
    schema: z.string().min(1),
    description: 'Client id of the Zoho self-client or server-based app.',
    example: '1000.ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  },
  ZOHO_CLIENT_SECRET: {
    group: 'Zoho',
    schema: z.string().min(1),
    secret: true,
    description: 'Client secret of the Zoho app.',
    example: '0123456789abcdef0123456789abcdef01234567',
  },
  ZOHO_REFRESH_TOKEN: {
    group: 'Zoho',
    schema: z.string().min(1),
    secret: true,
    description: 'Long-lived Zoho refresh token (scopes listed in docs/integrations.md).',
    example: '1000.0123456789abcdef.0123456789abcdef',
  },
  ZOHO_WEBHOOK_TOKEN: {
    group: 'Zoho',
    schema: z.string().min(8, 'must be at least 8 characters'),
    secret: true,
    description: 'Token Zoho echoes in every notification callback; checked on /webhooks/zoho.',
    example: 'a-long-random-string',
  },
  ZOHO_WATCH_CHANNEL_ID: {
    group: 'Zoho',
    schema: z.string().regex(/^\d{1,18}$/, 'must be a number of at most 18 digits'),
    default: '1000500000001',
    description: 'channel_id of the Zoho notification (watch) channel the keeper maintains.',
    example: '1000500000001',
  },
  ZOHO_WATCH_EVENTS: {
    group: 'Zoho',
    schema: list,
    default: 'Leads.all,Contacts.all',
    description:
      'Events of the watch channel: changes that keep the phone-number cache and owner routing current.',
    example: 'Leads.all,Contacts.all',
  },
  ZOHO_PHONE_REGION: {
    group: 'Zoho',
    schema: z.string().regex(/^[A-Z]{2}$/, 'must be a two-letter country code'),
    default: 'US',
    description: 'Country assumed for phone numbers stored in Zoho without a country code.',
    example: 'GB',
  },
  ZOHO_CONCURRENCY_LIMIT: {
    group: 'Zoho',
    schema: positiveInt,
    default: '10',
    description:
      "Zoho API calls in flight at once across ALL replicas (your edition's per-org concurrency limit).",
    example: '15',
  },
  ZOHO_WEBHOOK_QUERY_SECRET: {
    group: 'Zoho',
    schema: z.string().min(16, 'must be at least 16 characters'),
    secret: true,
    description:
      'Optional second factor for Zoho callbacks: when set, /webhooks/zoho also requires `?secret=<value>` (the keeper puts it in notify_url).',
    example: 'another-long-random-string',
  },
  WEBHOOK_MAX_BODY_BYTES: {
    group: 'Gateway',
    schema: positiveInt,
    default: '262144',
    description: 'Largest webhook body accepted; larger ones get 413 before the body is read.',
    example: '524288',
  },
  DEDUP_WINDOW_S: {
    group: 'Gateway',
    schema: positiveInt,
    default: '86400',
    description: 'How long an event id is remembered to drop redelivered copies.',
    example: '172800',
  },
  PUBLISH_BUDGET_MS: {
    group: 'Gateway',
    schema: positiveInt,
    default: '1500',
    description:
      "How long a webhook waits for Kafka to acknowledge before its event goes to the local spool instead (well under RingCentral's timeout).",
    example: '1000',
  },
  SPOOL_DIR: {
    group: 'Gateway',
    schema: z.string().min(1),
    description:
      'Folder of the local spool that keeps events while Kafka is unreachable. Default: DATA_DIR/spool. Must be on a persistent volume.',
    example: '/var/lib/callbridge/spool',
  },
  BATCH_MAX_MESSAGES: {
    group: 'Gateway',
    schema: positiveInt,
    default: '500',
    description: 'Most messages sent to Kafka in one produce call (group commit).',
    example: '1000',
  },
  BATCH_LINGER_MS: {
    group: 'Gateway',
    schema: z.coerce.number().int().min(0),
    default: '2',
    description:
      'How long the first message waits for company when no produce call is in flight (while one is, messages gather and go the moment it settles).',
    example: '5',
  },
  AUTH_FAILURE_LIMIT: {
    group: 'Gateway',
    schema: positiveInt,
    default: '20',
    description:
      'Failed webhook authentications allowed per client address and window before it gets 429.',
    example: '50',
  },
  AUTH_FAILURE_WINDOW_S: {
    group: 'Gateway',
    schema: positiveInt,
    default: '300',
    description: 'Window of AUTH_FAILURE_LIMIT, in seconds.',
    example: '600',
  },
  TRUST_PROXY: {
    group: 'Gateway',
    schema: bool,
    default: 'false',
    description:
      'Take the client address from the first X-Forwarded-For entry (set when behind a load balancer or ingress).',
    example: 'true',
  },
  LEAD_SOURCE: {
    group: 'Lead matching',
    schema: z.string().min(1),
    default: 'RingCentral',
    description: 'Lead_Source of leads created for unknown callers.',
    example: 'Inbound call',
  },
  LEAD_COMPANY: {
    group: 'Lead matching',
    schema: z.string().min(1),
    default: 'Unknown',
    description: "Company of created leads (Zoho's standard Leads layout makes Company mandatory).",
    example: 'Prospect',
  },
  EXT_OWNER_MAP: {
    group: 'Lead matching',
    schema: list
      .pipe(
        z.array(
          z
            .string()
            .regex(/^[^:\s]+:\d{1,19}$/, 'each entry must be <extension id>:<Zoho user id>'),
        ),
      )
      .transform((entries) =>
        Object.fromEntries(
          entries.map((entry) => {
            const at = entry.indexOf(':')
            return [entry.slice(0, at), entry.slice(at + 1)]
          }),
        ),
      ),
    description:
      'RingCentral extension id → Zoho user id that owns new leads and the call records of that extension.',
    example: '2002:4876876000000225013,2003:4876876000000225014',
  },
  LEAD_DEFAULT_OWNER_ID: {
    group: 'Lead matching',
    schema: z.string().regex(/^\d{1,19}$/, 'must be a Zoho user id (digits)'),
    description: 'Owner of new leads when the extension is not in EXT_OWNER_MAP.',
    example: '4876876000000225013',
  },
  LEAD_ROUND_ROBIN_OWNER_IDS: {
    group: 'Lead matching',
    schema: list.pipe(
      z.array(z.string().regex(/^\d{1,19}$/, 'each entry must be a Zoho user id (digits)')),
    ),
    description:
      'Owners taken in turn (shared across replicas) when there is no mapped or default owner.',
    example: '4876876000000225013,4876876000000225014',
  },
  PHONE_CACHE_TTL_S: {
    group: 'Lead matching',
    schema: positiveInt,
    default: '3600',
    description:
      'How long a phone number → CRM person match is cached (crm-sync evicts changed ones).',
    example: '600',
  },
  CALL_NOTES: {
    group: 'Lead matching',
    schema: bool,
    default: 'false',
    description: 'Also add a note per call to the matched person.',
    example: 'true',
  },
  LEAD_MATCH_DIRECTORY: {
    group: 'Lead matching',
    schema: z.enum(['trust', 'search-on-miss', 'off']),
    default: 'trust',
    description:
      "How the lead-matcher uses crm-sync's phone directory of the CRM: trust (a number the directory does not know is a new caller: the lead is created without searching Zoho, but only while a full sync completed within DIRECTORY_SYNC_INTERVAL_S plus a grace; otherwise it searches), search-on-miss (directory hits are used, misses are searched in Zoho), off (no directory: crm-sync only evicts, every new number is searched).",
    example: 'search-on-miss',
  },
  DIRECTORY_SYNC_INTERVAL_S: {
    group: 'Lead matching',
    schema: positiveInt,
    default: '21600',
    description:
      'Seconds between full syncs of the phone directory by crm-sync (one replica at a time; each costs one Zoho request per 200 leads or contacts). Change notifications keep it current in between; a record changed without a notification is picked up by the next full sync.',
    example: '3600',
  },
  RECORDING_MAX_BYTES: {
    group: 'Recordings',
    schema: positiveInt,
    default: '104857600',
    description:
      "Largest recording attached to the CRM (Zoho's attachment limit); larger ones are parked in the DLQ with the reason.",
    example: '20971520',
  },
  NOTIFY_CHANNELS: {
    group: 'Notifier',
    schema: z.string().min(1),
    default: 'missed:email,voicemail:email,new-lead:email',
    description:
      'Channels per notification type (email, chat, sms joined with +); a type left out is not notified.',
    example: 'missed:email+chat,voicemail:email+sms,new-lead:email',
  },
  SMTP_URL: {
    group: 'Notifier',
    schema: z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }),
    secret: true,
    description: 'SMTP server for e-mail notifications (required when a route uses email).',
    example: 'smtps://user:password@smtp.example.com:465',
  },
  NOTIFY_EMAIL_FROM: {
    group: 'Notifier',
    schema: z.string().min(3),
    description: 'From header of notification e-mails.',
    example: 'callbridge <calls@example.com>',
  },
  NOTIFY_FALLBACK_EMAIL: {
    group: 'Notifier',
    schema: z.email({ error: 'must be an e-mail address' }),
    description: 'Recipient when the CRM owner is unknown or has no e-mail.',
    example: 'sales@example.com',
  },
  NOTIFY_FALLBACK_MOBILE: {
    group: 'Notifier',
    schema: z.string().regex(/^\+[1-9]\d{1,14}$/, 'must be an E.164 number like +14155550100'),
    description: 'SMS recipient when the CRM owner is unknown or has no mobile number.',
    example: '+14155550100',
  },
  OWNER_DIRECTORY: {
    group: 'Notifier',
    schema: z.string().min(1),
    secret: true,
    description:
      'CRM owner id → contact for notifications: ownerId:email:mobile[:name], comma-separated (kept out of logs: personal data).',
    example: '4876876000000225013:ana@example.com:+14155550123:Ana',
  },
  CHAT_WEBHOOK_URL: {
    group: 'Notifier',
    schema: httpUrl,
    secret: true,
    description: 'Slack-compatible incoming webhook for chat notifications.',
    example: 'https://hooks.slack.com/services/T000/B000/XXXX',
  },
  SMS_FROM_NUMBER: {
    group: 'Notifier',
    schema: z.string().regex(/^\+[1-9]\d{1,14}$/, 'must be an E.164 number like +14155550100'),
    description: 'SMS-enabled number of the RingCentral JWT user, the sender of SMS notifications.',
    example: '+16505550100',
  },
  NOTIFY_TEMPLATES_DIR: {
    group: 'Notifier',
    schema: z.string().min(1),
    description:
      'Folder overriding the built-in templates file by file (consumers/notifier/templates/<type>/<file>).',
    example: '/etc/callbridge/templates',
  },
  NOTIFY_TIME_ZONE: {
    group: 'Notifier',
    schema: z.string().min(1),
    default: 'UTC',
    description: 'IANA time zone of times in notifications.',
    example: 'Europe/Berlin',
  },
  OTEL_EXPORTER_OTLP_ENDPOINT: {
    group: 'Telemetry',
    schema: httpUrl,
    description:
      'OTLP/HTTP endpoint for traces (Jaeger, Tempo, a collector). When unset, tracing is off. The other standard OTEL_* variables apply too.',
    example: 'http://jaeger:4318',
  },
  OTEL_SERVICE_NAME: {
    group: 'Telemetry',
    schema: z.string().min(1),
    default: 'callbridge',
    description: 'Service name on traces and log lines.',
    example: 'callbridge',
  },
  OTEL_SDK_DISABLED: {
    group: 'Telemetry',
    schema: bool,
    default: 'false',
    description: 'Turns the OpenTelemetry SDK off even when an endpoint is set.',
    example: 'true',
  },
} as const satisfies Record<string, VarSpec>

export type VarName = keyof typeof vars
export const varNames = Object.keys(vars) as VarName[]

/** The parsed configuration: one typed property per variable. */
export type Config = {
  readonly [K in VarName]: (typeof vars)[K] extends { default: string } | { required: true }
    ? z.output<(typeof vars)[K]['schema']>
    : z.output<(typeof vars)[K]['schema']> | undefined
}
