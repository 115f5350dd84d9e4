/**
 * @module simulators/zoho/watch
 * The Notifications (watch) API, `/crm/v8/actions/watch` (OAS `notifications.json`, v7 Enable
 * Notifications): POST enables channels, GET lists them (204 when none), PUT replaces a
 * channel's details, PATCH updates the given keys or, with `_delete_events: true`, removes the
 * given events, DELETE `?channel_ids=` removes channels. Keys: `channel_id` (a long),
 * `events` (`{Module}.create|edit|delete|all`), `notify_url`, `token` (≤ 50 characters),
 * `channel_expiry` (at most one week ahead; absent or later → one hour),
 * `return_affected_field_values`, `notify_on_related_action` (default true). Per-item answers
 * in `watch[]`; 201 (POST) / 200 when all succeeded, 202 when some failed, 400 when all did.
 * Callbacks: ./notify.ts.
 */
import type { Context, Hono } from 'hono'
import { z } from 'zod'
import { batchStatus, readJson } from './body.ts'
import type { Deps } from './deps.ts'
import { errors, type ZohoErrorBody, zohoError } from './errors.ts'
import { zohoDateTime } from './format.ts'
import { recordModule } from './modules.ts'
import { dropExpired } from './notify.ts'
import type { Channel } from './state.ts'
import { channelEvents, checkItem, type WatchItem } from './watch-item.ts'

const WatchBody = z.object({
  watch: z
    .array(
      z.looseObject({
        channel_id: z.union([z.string(), z.number()]).optional(),
        events: z.array(z.string()).optional(),
        notify_url: z.string().optional(),
        token: z.string().nullable().optional(),
        channel_expiry: z.string().nullable().optional(),
        return_affected_field_values: z.boolean().optional(),
        notify_on_related_action: z.boolean().optional(),
        notification_condition: z.array(z.unknown()).optional(),
        _delete_events: z.boolean().optional(),
      }),
    )
    .min(1),
})

const ok = (message: string, details: Record<string, unknown>) => ({
  code: 'SUCCESS',
  details,
  message,
  status: 'success',
})

const notSubscribed = (channelId: string): ZohoErrorBody =>
  zohoError('NOT_SUBSCRIBED', 'the given channel is not subscribed for actions-watch', {
    channel_id: channelId,
  })

export const registerWatchRoutes = (app: Hono, deps: Deps) => {
  const { state, options } = deps
  const describe = (channel: Channel) => ({ events: channelEvents(channel, deps.apiDomain()) })

  app.post('/crm/v8/actions/watch', async (c) => {
    const body = await readJson(c, WatchBody)
    const now = options.now()
    const results = body.watch.map((item: WatchItem, i) => {
      const checked = checkItem(item, i, now, 'replace')
      if (!checked.ok) return checked.error
      state.channels.set(String(checked.channel.channelId), checked.channel)
      return ok(
        'Successfully subscribed for actions-watch of the given module',
        describe(checked.channel),
      )
    })
    return c.json({ watch: results }, batchStatus(results, 201))
  })

  app.get('/crm/v8/actions/watch', (c) => {
    const now = options.now()
    dropExpired(state, now)
    const wantedChannel = c.req.query('channel_id')
    const wantedModule = c.req.query('module')
    const channels = [...state.channels.values()].filter(
      (channel) =>
        (wantedChannel === undefined || String(channel.channelId) === wantedChannel) &&
        (wantedModule === undefined ||
          channel.events.some((event) =>
            event.startsWith(`${recordModule(wantedModule)?.apiName}.`),
          )),
    )
    const perPage = Math.min(200, Number(c.req.query('per_page') ?? 200) || 200)
    const page = Math.max(1, Number(c.req.query('page') ?? 1) || 1)
    const slice = channels.slice((page - 1) * perPage, page * perPage)
    if (slice.length === 0) return c.body(null, 204)
    const watch = slice.map((channel) => ({
      channel_id: String(channel.channelId),
      events: channel.events,
      notify_url: channel.notifyUrl,
      token: channel.token,
      channel_expiry: zohoDateTime(channel.expiresAt),
      return_affected_field_values: channel.returnAffectedFieldValues,
      notify_on_related_action: channel.notifyOnRelatedAction,
      notification_condition: channel.notificationCondition,
      fields: null,
    }))
    const more = channels.length > page * perPage
    return c.json({
      watch,
      info: { per_page: perPage, page, count: watch.length, more_records: more },
    })
  })

  const change = async (c: Context, mode: 'replace' | 'patch') => {
    const body = await readJson(c, WatchBody)
    const now = options.now()
    dropExpired(state, now)
    const results = body.watch.map((item: WatchItem, i) => {
      const key = String(item.channel_id ?? '')
      const existing = state.channels.get(key)
      if (!existing) return notSubscribed(key)
      if (mode === 'patch' && item._delete_events === true) {
        existing.events = existing.events.filter((event) => !(item.events ?? []).includes(event))
        if (existing.events.length === 0) state.channels.delete(key)
        return ok('Successfully removed the subscribe details', describe(existing))
      }
      const checked = checkItem(item, i, now, mode, existing)
      if (!checked.ok) return checked.error
      state.channels.set(key, checked.channel)
      return ok('Successfully updated the subscribe details', describe(checked.channel))
    })
    return c.json({ watch: results }, batchStatus(results, 200))
  }
  app.put('/crm/v8/actions/watch', (c) => change(c, 'replace'))
  app.patch('/crm/v8/actions/watch', (c) => change(c, 'patch'))

  app.delete('/crm/v8/actions/watch', (c) => {
    const ids = (c.req.query('channel_ids') ?? '').split(',').filter(Boolean)
    if (ids.length === 0) throw errors.missingParam('channel_ids')
    const results = ids.map((id) =>
      state.channels.delete(id)
        ? ok('Successfully un-subscribed from actions-watch', { channel_id: id })
        : notSubscribed(id),
    )
    return c.json({ watch: results }, batchStatus(results, 200))
  })
}
