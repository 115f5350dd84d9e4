/**
 * @module integrations/zoho/watch
 * Notification (watch) channels: enable (POST), list (GET), update (PATCH, given keys only) and
 * disable (DELETE) on `/crm/v8/actions/watch`. Zoho caps a channel's life at one week and
 * silently falls back to ONE HOUR when asked for more, so expiries are clamped to a week here.
 * The echoed `token` may be at most 50 characters. Channel writes are keyed by `channel_id`, so
 * they are treated as idempotent and retried like reads.
 */
import { zohoDateTime } from './calls.ts'
import { ZohoApiError } from './errors.ts'
import { apiBase, moduleName } from './paths.ts'
import { type WatchChannelDetails, WatchEvent, WatchListResponse } from './schemas.ts'
import type { ZohoTransport } from './transport.ts'
import { firstResult } from './write-result.ts'

/** A channel to enable or update. */
export interface WatchSubscription {
  /** Zoho wants a long: digits only. */
  readonly channelId: string
  /** `{Module}.{create|edit|delete|all}`, e.g. `Leads.all`. */
  readonly events: readonly string[]
  readonly notifyUrl: string
  /** Echoed in every callback; at most 50 characters. */
  readonly token?: string
  /** Requested expiry; clamped to one week from now. Default: one week. */
  readonly expiresAt?: Date
  readonly returnAffectedFieldValues?: boolean
  /** Zoho's default is true. */
  readonly notifyOnRelatedAction?: boolean
}

/** What Zoho granted. */
export interface WatchGrant {
  readonly channelId: string
  /** The earliest expiry Zoho reported for the channel's events. */
  readonly expiresAt: Date
}

/** Watch operations. */
export interface ZohoWatch {
  enable(subscription: WatchSubscription): Promise<WatchGrant>
  list(filter?: { channelId?: string; module?: string }): Promise<WatchChannelDetails[]>
  /** PATCH: changes only the keys given (events, expiry, token, notify URL). */
  update(subscription: Partial<WatchSubscription> & { channelId: string }): Promise<WatchGrant>
  disable(channelIds: readonly string[]): Promise<void>
  /** Updates the channel when Zoho has it, enables it otherwise: creating and renewing in one. */
  ensure(subscription: WatchSubscription): Promise<WatchGrant>
}

/** Zoho's maximum channel life. */
export const maxChannelLifeMs = 7 * 24 * 60 * 60 * 1000
/** Kept off the maximum so clock skew never pushes a request over it (and into the 1 h default). */
const safetyMs = 5 * 60 * 1000

const invalid = (message: string, field: string) =>
  new ZohoApiError({ code: 'INVALID_INPUT', status: 0, message, details: { api_name: field } })

/**
 * The expiry to request: `requested` clamped to one week (minus 5 minutes) from `now`.
 * @throws ZohoApiError `INVALID_INPUT` when `requested` is less than a minute away.
 */
export const channelExpiry = (requested: Date | undefined, now: number): Date => {
  const latest = now + maxChannelLifeMs - safetyMs
  const wanted = requested?.getTime() ?? latest
  if (Number.isNaN(wanted) || wanted < now + 60_000) {
    throw invalid('channel expiry must be at least a minute in the future', 'channel_expiry')
  }
  return new Date(Math.min(wanted, latest))
}

const checkChannelId = (channelId: string): string => {
  if (!/^\d{1,19}$/.test(channelId))
    throw invalid('channel id must be digits (a long)', 'channel_id')
  return channelId
}

const watchItem = (
  subscription: Partial<WatchSubscription> & { channelId: string },
  now: number,
  { defaultExpiry }: { defaultExpiry: boolean },
): Record<string, unknown> => {
  const item: Record<string, unknown> = { channel_id: checkChannelId(subscription.channelId) }
  if (subscription.events) {
    if (subscription.events.length === 0) throw invalid('a channel needs events', 'events')
    for (const event of subscription.events) {
      const [module = '', operation] = event.split('.')
      moduleName(module)
      if (!operation || !['create', 'edit', 'delete', 'all'].includes(operation)) {
        throw invalid(`not a watch event: ${event}`, 'events')
      }
    }
    item['events'] = [...subscription.events]
  }
  if (subscription.notifyUrl !== undefined) {
    if (!URL.canParse(subscription.notifyUrl))
      throw invalid('notify URL is not a URL', 'notify_url')
    item['notify_url'] = subscription.notifyUrl
  }
  if (subscription.token !== undefined) {
    if (subscription.token.length === 0 || subscription.token.length > 50) {
      throw invalid('channel token must be 1 to 50 characters', 'token')
    }
    item['token'] = subscription.token
  }
  if (subscription.expiresAt !== undefined || defaultExpiry) {
    item['channel_expiry'] = zohoDateTime(channelExpiry(subscription.expiresAt, now))
  }
  if (subscription.returnAffectedFieldValues !== undefined) {
    item['return_affected_field_values'] = subscription.returnAffectedFieldValues
  }
  if (subscription.notifyOnRelatedAction !== undefined) {
    item['notify_on_related_action'] = subscription.notifyOnRelatedAction
  }
  return item
}

/** The grant from a successful write's `details.events[]`, falling back to what was asked. */
const grantOf = (
  channelId: string,
  details: Readonly<Record<string, unknown>> | undefined,
  asked: unknown,
): WatchGrant => {
  const events = WatchEvent.array().safeParse(details?.['events'])
  const expiries = (events.success ? events.data : [])
    .map((event) => Date.parse(event.channel_expiry ?? ''))
    .filter((time) => !Number.isNaN(time))
  const fallback = typeof asked === 'string' ? Date.parse(asked) : Number.NaN
  const time = expiries.length > 0 ? Math.min(...expiries) : fallback
  if (Number.isNaN(time)) {
    throw new ZohoApiError({
      code: 'UNEXPECTED_RESPONSE',
      status: 0,
      message: 'watch: Zoho reported no channel expiry',
    })
  }
  return { channelId, expiresAt: new Date(time) }
}

/** Creates the watch operations on `transport`. */
export const createWatch = (transport: ZohoTransport, now: () => number): ZohoWatch => {
  const path = `${apiBase}/actions/watch`

  const write = async (
    method: 'POST' | 'PATCH',
    subscription: Partial<WatchSubscription> & { channelId: string },
  ): Promise<WatchGrant> => {
    const item = watchItem(subscription, now(), { defaultExpiry: method === 'POST' })
    const operation = method === 'POST' ? 'watch.enable' : 'watch.update'
    const response = await transport.request({
      operation,
      method,
      path,
      json: { watch: [item] },
      idempotent: true,
    })
    const result = firstResult(response, operation, { created: false }, 'watch')
    return grantOf(subscription.channelId, result.details, item['channel_expiry'])
  }

  const list: ZohoWatch['list'] = async (filter = {}) => {
    const channels: WatchChannelDetails[] = []
    for (let page = 1; ; page += 1) {
      const response = await transport.request({
        operation: 'watch.list',
        method: 'GET',
        path,
        query: {
          page: String(page),
          per_page: '200',
          channel_id: filter.channelId === undefined ? undefined : checkChannelId(filter.channelId),
          module: filter.module === undefined ? undefined : moduleName(filter.module),
        },
      })
      if (response.status === 204 || response.body === null) return channels
      const parsed = WatchListResponse.safeParse(response.body)
      if (!parsed.success) {
        throw new ZohoApiError({
          code: 'UNEXPECTED_RESPONSE',
          status: response.status,
          message: 'watch.list: answer has no readable watch[]',
        })
      }
      channels.push(...parsed.data.watch)
      if (!parsed.data.info?.more_records) return channels
    }
  }

  return {
    enable: (subscription) => write('POST', subscription),
    update: (subscription) => write('PATCH', subscription),
    list,
    disable: async (channelIds) => {
      if (channelIds.length === 0) return
      const response = await transport.request({
        operation: 'watch.disable',
        method: 'DELETE',
        path,
        query: { channel_ids: channelIds.map(checkChannelId).join(',') },
      })
      if (response.status !== 204 && response.body !== null) {
        firstResult(response, 'watch.disable', { created: false }, 'watch')
      }
    },
    ensure: async (subscription) => {
      // Check the input before asking Zoho anything.
      watchItem(subscription, now(), { defaultExpiry: true })
      const existing = await list({ channelId: subscription.channelId })
      const known = existing.some((channel) => channel.channel_id === subscription.channelId)
      return write(known ? 'PATCH' : 'POST', {
        ...subscription,
        expiresAt: channelExpiry(subscription.expiresAt, now()),
      })
    },
  }
}
