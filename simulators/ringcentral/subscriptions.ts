/**
 * @module simulators/ringcentral/subscriptions
 * The Subscription API for WebHook transport: create (after the validation handshake), list,
 * read, update (PUT; empty body = renew with the default TTL), renew (keeps expiresIn) and delete
 * (204), with the documented rate-limit groups and a cap per user and app (403 SUB-505).
 * `verificationToken` is kept but never answered. Expired subscriptions disappear.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { subscriptionRenewalReminder } from '../../schemas/fixtures/ringcentral.ts'
import type { SimEnv } from './bearer.ts'
import { readJson, requireJson } from './body.ts'
import type { Deliverer } from './deliveries.ts'
import { apiError, invalidParameter, notFound } from './errors.ts'
import { parseFilters, usableFilters } from './filters.ts'
import { invalidWebhookResponse, validateWebhook } from './handshake.ts'
import { limit, type RateLimiter } from './rate-limit.ts'
import { iso, type SessionRecord, type SimCore, type SubscriptionRecord } from './state.ts'

/** Default WebHook `expiresIn`, seconds (7 days). */
export const defaultExpiresInS = 604_800
/** Maximum WebHook `expiresIn`, seconds (10 years); larger requests are clamped. */
export const maxExpiresInS = 315_360_000

const CreateSubscription = z.object({
  eventFilters: z.array(z.string()),
  deliveryMode: z.object({
    transportType: z.string(),
    address: z.string().optional(),
    verificationToken: z.string().optional(),
    encryption: z.boolean().optional(),
  }),
  expiresIn: z.number().int().optional(),
})

const UpdateSubscription = z.object({
  eventFilters: z.array(z.string()).optional(),
  expiresIn: z.number().int().optional(),
})

const expiresInOf = (requested: number | undefined): number => {
  if (requested === undefined) return defaultExpiresInS
  if (requested < 1) throw invalidParameter('expiresIn')
  return Math.min(requested, maxExpiresInS)
}

const isHttpUrl = (address: string): boolean => {
  try {
    const { protocol } = new URL(address)
    return protocol === 'http:' || protocol === 'https:'
  } catch {
    return false
  }
}

/** Drops expired subscriptions; returns the live ones. */
export const liveSubscriptions = (core: SimCore): SubscriptionRecord[] => {
  const now = core.now()
  for (const [id, sub] of core.subscriptions)
    if (sub.expirationTime <= now) core.subscriptions.delete(id)
  return [...core.subscriptions.values()]
}

/** The Subscription resource (no verificationToken). */
export const subscriptionResource = (core: SimCore, sub: SubscriptionRecord, origin: string) => ({
  uri: `${origin}/restapi/v1.0/subscription/${sub.id}`,
  id: sub.id,
  creationTime: iso(sub.creationTime),
  status: sub.status,
  eventFilters: [...sub.eventFilters],
  expirationTime: iso(sub.expirationTime),
  expiresIn: Math.max(0, Math.round((sub.expirationTime - core.now()) / 1000)),
  deliveryMode: { transportType: 'WebHook', encryption: false, address: sub.address },
  ...(sub.blacklistedData === undefined ? {} : { blacklistedData: { ...sub.blacklistedData } }),
})

const own = (core: SimCore, session: SessionRecord) =>
  liveSubscriptions(core).filter(
    (s) => s.ownerId === session.ownerId && s.clientId === session.clientId,
  )

const findOwn = (core: SimCore, session: SessionRecord, id: string): SubscriptionRecord => {
  const sub = own(core, session).find((s) => s.id === id)
  if (!sub) throw notFound('subscriptionId')
  return sub
}

const renew = (core: SimCore, sub: SubscriptionRecord, expiresInS: number) => {
  sub.requestedExpiresIn = expiresInS
  sub.expirationTime = core.now() + expiresInS * 1000
  sub.lastReminderAt = undefined
}

/** Sends renewal reminders due now (filter `/restapi/v1.0/subscription/~?threshold=…&interval=…`). */
export const sendDueReminders = (core: SimCore, deliverer: Deliverer): void => {
  const now = core.now()
  for (const sub of liveSubscriptions(core)) {
    if (sub.status !== 'Active') continue
    const remainingS = Math.round((sub.expirationTime - now) / 1000)
    for (const filter of usableFilters(core, sub)) {
      if (filter.kind !== 'reminder' || remainingS > filter.threshold) continue
      if (sub.lastReminderAt !== undefined && now - sub.lastReminderAt < filter.interval * 1000)
        continue
      sub.lastReminderAt = now
      deliverer.enqueue(sub, [
        {
          kind: 'subscription-reminder',
          event: filter.raw,
          build: (envelope) => subscriptionRenewalReminder({ ...envelope, expiresIn: remainingS }),
        },
      ])
    }
  }
}

/** The subscription routes (behind `bearer`). */
export const subscriptionRoutes = (core: SimCore, limiter: RateLimiter): Hono<SimEnv> => {
  const app = new Hono<SimEnv>()
  const base = '/restapi/v1.0/subscription'
  const originOf = (url: string) => new URL(url).origin

  app.post(base, limit(limiter, 'Medium'), async (c) => {
    const session = c.get('session')
    const body = await requireJson(c.req.raw, CreateSubscription)
    const { deliveryMode } = body
    if (deliveryMode.transportType !== 'WebHook')
      throw invalidParameter('deliveryMode.transportType')
    const address = deliveryMode.address ?? ''
    if (!isHttpUrl(address)) throw invalidParameter('deliveryMode.address')
    const expiresInS = expiresInOf(body.expiresIn)
    parseFilters(core, body.eventFilters, session.ownerId, expiresInS)
    if (own(core, session).length >= core.config.maxSubscriptionsPerUser) {
      throw apiError(403, 'SUB-505', 'Subscriptions limit exceeded')
    }
    const handshake = await validateWebhook(core, address, deliveryMode.verificationToken)
    if (!handshake.ok) throw invalidWebhookResponse()
    const now = core.now()
    const sub: SubscriptionRecord = {
      id: core.ids.uuid(),
      ownerId: session.ownerId,
      clientId: session.clientId,
      address,
      verificationToken: deliveryMode.verificationToken,
      creationTime: now,
      eventFilters: [...body.eventFilters],
      requestedExpiresIn: expiresInS,
      expirationTime: now + expiresInS * 1000,
      status: 'Active',
      blacklistedData: undefined,
      delivered: 0,
      consecutiveFailures: 0,
      totalFailures: 0,
      failingSince: undefined,
      lastError: undefined,
      lastReminderAt: undefined,
    }
    core.subscriptions.set(sub.id, sub)
    return c.json(subscriptionResource(core, sub, originOf(c.req.url)))
  })

  app.get(base, limit(limiter, 'Light'), (c) => {
    const origin = originOf(c.req.url)
    return c.json({
      uri: `${origin}${base}`,
      records: own(core, c.get('session')).map((sub) => subscriptionResource(core, sub, origin)),
    })
  })

  app.get(`${base}/:id`, limit(limiter, 'Light'), (c) => {
    const sub = findOwn(core, c.get('session'), c.req.param('id'))
    return c.json(subscriptionResource(core, sub, originOf(c.req.url)))
  })

  app.put(`${base}/:id`, limit(limiter, 'Medium'), async (c) => {
    const session = c.get('session')
    const sub = findOwn(core, session, c.req.param('id'))
    const body = await readJson(c.req.raw, UpdateSubscription, { allowEmpty: true })
    const expiresInS = expiresInOf(body?.expiresIn)
    if (body?.eventFilters !== undefined) {
      parseFilters(core, body.eventFilters, session.ownerId, expiresInS)
      sub.eventFilters = [...body.eventFilters]
    }
    renew(core, sub, expiresInS)
    return c.json(subscriptionResource(core, sub, originOf(c.req.url)))
  })

  app.post(`${base}/:id/renew`, limit(limiter, 'Light'), (c) => {
    const sub = findOwn(core, c.get('session'), c.req.param('id'))
    renew(core, sub, sub.requestedExpiresIn)
    return c.json(subscriptionResource(core, sub, originOf(c.req.url)))
  })

  app.delete(`${base}/:id`, limit(limiter, 'Medium'), (c) => {
    const sub = findOwn(core, c.get('session'), c.req.param('id'))
    core.subscriptions.delete(sub.id)
    return c.body(null, 204)
  })

  return app
}
