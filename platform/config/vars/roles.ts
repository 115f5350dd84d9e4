/**
 * @module platform/config/vars/roles
 * The roles: gateway ingest, lead matching and the phone directory, recordings, notifications.
 */
import { z } from 'zod'
import { bool, httpUrl, list, positiveInt, type VarSpec } from './schemas.ts'

export const roleVars = {
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
} as const satisfies Record<string, VarSpec>
