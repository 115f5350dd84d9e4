/**
 * @module platform/config/vars/providers
 * RingCentral and Zoho: credentials, webhook tokens, subscriptions and limits.
 */
import { z } from 'zod'
import { httpUrl, list, positiveInt, type VarSpec } from './schemas.ts'

export const providerVars = {
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
} as const satisfies Record<string, VarSpec>
