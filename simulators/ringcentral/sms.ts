/**
 * @module simulators/ringcentral/sms
 * `POST /restapi/v1.0/account/{a}/extension/{e}/sms` (`{from: {phoneNumber}, to: [{phoneNumber}],
 * text}`) → the message resource, status Queued. Rate-limit group Medium (the spec's
 * `x-throttling-group` of createSMSMessage). Sent messages are kept for `/_sim/sms`.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import type { SimEnv } from './bearer.ts'
import { requireJson } from './body.ts'
import { limit, type RateLimiter } from './rate-limit.ts'
import { iso, resolveAccountId, resolveExtensionId, type SimCore } from './state.ts'

const PhoneNumber = z.string().regex(/^\+?[1-9]\d{6,14}$/)

/** The request body of createSMSMessage. */
export const CreateSms = z.object({
  from: z.object({ phoneNumber: PhoneNumber }),
  to: z.array(z.object({ phoneNumber: PhoneNumber })).min(1),
  text: z.string().min(1).max(1000),
})
export type CreateSms = z.infer<typeof CreateSms>

/** The SMS route (behind `bearer`). */
export const smsRoutes = (core: SimCore, limiter: RateLimiter): Hono<SimEnv> => {
  const app = new Hono<SimEnv>()
  app.post(
    '/restapi/v1.0/account/:accountId/extension/:extensionId/sms',
    limit(limiter, 'Medium'),
    async (c) => {
      const accountId = resolveAccountId(core, c.req.param('accountId'))
      const extensionId = resolveExtensionId(
        core,
        c.req.param('extensionId'),
        c.get('session').ownerId,
      )
      const body = await requireJson(c.req.raw, CreateSms)
      const id = Number(core.ids.messageId())
      const conversationId = Number(core.ids.messageId())
      const now = iso(core.now())
      const origin = new URL(c.req.url).origin
      const uri = `${origin}/restapi/v1.0/account/${accountId}/extension/${extensionId}/message-store/${id}`
      core.sms.push({
        id,
        ownerId: extensionId,
        from: body.from.phoneNumber,
        to: body.to.map((t) => t.phoneNumber),
        text: body.text,
        creationTime: now,
      })
      core.counters.smsSent++
      return c.json({
        uri,
        id,
        to: body.to.map((t) => ({ phoneNumber: t.phoneNumber })),
        from: { phoneNumber: body.from.phoneNumber },
        type: 'SMS',
        creationTime: now,
        readStatus: 'Read',
        priority: 'Normal',
        attachments: [{ id, uri: `${uri}/content/${id}`, type: 'Text', contentType: 'text/plain' }],
        direction: 'Outbound',
        availability: 'Alive',
        subject: body.text,
        messageStatus: 'Queued',
        smsSendingAttemptsCount: 1,
        conversationId,
        conversation: {
          id: String(conversationId),
          uri: `${origin}/restapi/v1.0/conversation/${conversationId}`,
        },
        lastModifiedTime: now,
      })
    },
  )
  return app
}
