/**
 * @module simulators/zoho/watch-item
 * Checks one `watch[]` item of an enable, replace or patch and builds the channel it describes.
 * Pure apart from the clock passed in.
 */
import { type ZohoErrorBody, zohoError } from './errors.ts'
import { zohoDateTime } from './format.ts'
import { recordModule } from './modules.ts'
import type { Channel } from './state.ts'

export interface WatchItem {
  channel_id?: string | number | undefined
  events?: string[] | undefined
  notify_url?: string | undefined
  token?: string | null | undefined
  channel_expiry?: string | null | undefined
  return_affected_field_values?: boolean | undefined
  notify_on_related_action?: boolean | undefined
  notification_condition?: unknown[] | undefined
  _delete_events?: boolean | undefined
}

const HOUR_MS = 60 * 60 * 1000
const WEEK_MS = 7 * 24 * HOUR_MS
const MAX_TOKEN = 50
const EVENT = /^([A-Za-z_]+)\.(create|edit|delete|all)$/

export type ItemCheck =
  | { readonly ok: true; readonly channel: Channel }
  | { readonly ok: false; readonly error: ZohoErrorBody }

/** `channel_expiry` → ms: absent, unparseable-free or beyond a week → one hour from now. */
export const expiryOf = (value: string | null | undefined, now: number): number | null => {
  if (value === undefined || value === null) return now + HOUR_MS
  const at = Date.parse(value)
  if (Number.isNaN(at) || at <= now) return null
  return at - now > WEEK_MS ? now + HOUR_MS : at
}

/**
 * Checks item `i`. `replace` needs every mandatory key; `patch` keeps what `existing` has for
 * keys the item leaves out.
 */
export const checkItem = (
  item: WatchItem,
  i: number,
  now: number,
  mode: 'replace' | 'patch',
  existing?: Channel,
): ItemCheck => {
  const at = (name: string) => ({ api_name: name, json_path: `$.watch[${i}].${name}` })
  const fail = (code: string, message: string, details: Record<string, unknown>): ItemCheck => ({
    ok: false,
    error: zohoError(code, message, details),
  })
  const keep = mode === 'patch' && existing !== undefined
  for (const key of ['channel_id', 'events', 'notify_url'] as const) {
    if (item[key] === undefined && !(keep && key !== 'channel_id')) {
      return fail('MANDATORY_NOT_FOUND', 'required field not found', at(key))
    }
  }
  const channelId = item.channel_id ?? ''
  if (!/^\d{1,19}$/.test(String(channelId))) {
    return fail('INVALID_DATA', 'invalid data', { expected_data_type: 'long', ...at('channel_id') })
  }
  const given = item.events ?? existing?.events ?? []
  const badEvent = given.findIndex((event) => {
    const match = EVENT.exec(event)
    return !match || !recordModule(match[1] ?? '')
  })
  // Module names are matched case-insensitively and stored as their API names.
  const events = given.map((event) => {
    const [module = '', operation = ''] = event.split('.')
    return `${recordModule(module)?.apiName ?? module}.${operation}`
  })
  if (events.length === 0 || badEvent >= 0) {
    return fail('INVALID_DATA', 'invalid data', {
      api_name: 'events',
      json_path: `$.watch[${i}].events${badEvent >= 0 ? `[${badEvent}]` : ''}`,
    })
  }
  const notifyUrl = item.notify_url ?? existing?.notifyUrl ?? ''
  if (!/^https?:\/\//.test(notifyUrl) || !URL.canParse(notifyUrl)) {
    return fail('INVALID_DATA', 'invalid data', at('notify_url'))
  }
  const token = item.token !== undefined ? item.token : keep ? (existing?.token ?? null) : null
  if (token !== null && token.length > MAX_TOKEN) {
    return fail('INVALID_DATA', 'invalid data', { maximum_length: MAX_TOKEN, ...at('token') })
  }
  const expiresAt =
    item.channel_expiry === undefined && keep
      ? (existing?.expiresAt ?? now + HOUR_MS)
      : expiryOf(item.channel_expiry, now)
  if (expiresAt === null) return fail('INVALID_DATA', 'invalid data', at('channel_expiry'))
  const pick = <T>(given: T | undefined, old: T | undefined, fallback: T): T =>
    given !== undefined ? given : keep && old !== undefined ? old : fallback
  return {
    ok: true,
    channel: {
      channelId,
      events: [...new Set(events)],
      notifyUrl,
      token,
      expiresAt,
      returnAffectedFieldValues: pick(
        item.return_affected_field_values,
        existing?.returnAffectedFieldValues,
        false,
      ),
      notifyOnRelatedAction: pick(
        item.notify_on_related_action,
        existing?.notifyOnRelatedAction,
        true,
      ),
      notificationCondition: pick(item.notification_condition, existing?.notificationCondition, []),
    },
  }
}

/** `details.events` of a success: one entry per module the channel watches. */
export const channelEvents = (channel: Channel, apiDomain: string) => {
  const modules = [...new Set(channel.events.map((event) => event.split('.')[0] ?? ''))]
  return modules.flatMap((name) => {
    const module = recordModule(name)
    if (!module) return []
    return [
      {
        channel_expiry: zohoDateTime(channel.expiresAt),
        resource_uri: `${apiDomain}/crm/v2/${module.apiName}`,
        resource_id: module.id,
        resource_name: module.apiName,
        channel_id: String(channel.channelId),
        notification_condition: channel.notificationCondition,
      },
    ]
  })
}
