/**
 * @module consumers/notifier/notifier
 * The notifier consumer: for missed calls, voicemails and new leads on `calls.matched` it tells
 * the CRM owner (or a fallback) through the channels configured per notification type. Each
 * (call, type, channel) is sent AT MOST ONCE, through the ledger effect `notification` with key
 * `<type>:<channel>`: a claim that was never confirmed (a crash between sending and confirming)
 * is never sent again, because a lost notification is better than spam. See README.md.
 */
import { CallMatched, callTopics } from '../../schemas/calls.ts'
import type { Ledger } from '../ledger/ledger.ts'
import { type BackoffOptions, type ConsumerDefinition, PermanentError } from '../runtime/index.ts'
import {
  asDeliveryError,
  type DeliveryError,
  type Notification,
  type NotificationChannel,
} from './delivery.ts'
import {
  type ChannelName,
  type ChannelRoutes,
  notificationKey,
  notificationTypesOf,
} from './events.ts'
import { type OwnerContact, type OwnerDirectory, resolveRecipient } from './owner-directory.ts'
import { templateContext } from './template-context.ts'
import type { Templates } from './templates.ts'

/** Ports and settings of {@link createNotifier}. */
export interface NotifierOptions {
  readonly ledger: Pick<Ledger, 'claim' | 'complete' | 'release'>
  /** The channel implementations; every channel `routes` names must be here. */
  readonly channels: Readonly<Partial<Record<ChannelName, NotificationChannel>>>
  readonly routes: ChannelRoutes
  readonly templates: Pick<Templates, 'render'>
  readonly directory: OwnerDirectory
  /** Used for every contact field the owner directory does not give. */
  readonly fallback: OwnerContact
  /** IANA zone of `{{call.startedAt}}`. Default UTC. */
  readonly timeZone?: string
  /** Default 8 (the runtime's). */
  readonly maxAttempts?: number
  /** Default 2 s base, 2 min cap: a notification is only useful while it is fresh. */
  readonly backoff?: BackoffOptions
}

/** Some channel failed before sending; the retry sends only what is still missing. */
export class NotificationFailedError extends Error {
  override readonly name = 'NotificationFailedError'
}

/**
 * Creates the consumer definition.
 * @throws RangeError when `routes` names a channel that `channels` does not provide.
 *
 * @example
 * ```ts
 * const definition = createNotifier({ ledger, channels: { email }, routes: { missed: ['email'] },
 *   templates: await loadTemplates(), directory, fallback: { email: 'sales@example.com' } })
 * await startConsumer({ bus, definition, logger, metrics })
 * ```
 */
export const createNotifier = (options: NotifierOptions): ConsumerDefinition<CallMatched> => {
  const { ledger, channels, routes, templates, directory, fallback } = options
  const timeZone = options.timeZone ?? 'UTC'
  for (const [type, routed] of Object.entries(routes)) {
    for (const channel of routed ?? []) {
      if (!channels[channel]) {
        throw new RangeError(
          `${type} notifications go to ${channel}, but no ${channel} channel is set up`,
        )
      }
    }
  }

  return {
    name: 'notifier',
    topic: callTopics.callsMatched.name,
    schema: CallMatched,
    backoff: options.backoff ?? { baseMs: 2_000, maxMs: 120_000 },
    ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
    handle: async (event, { logger }) => {
      const jobs = notificationTypesOf(event).flatMap((type) =>
        (routes[type] ?? []).map((channel) => ({ type, channel })),
      )
      if (jobs.length === 0) return
      const session = event.call.telephonySessionId
      const ownerId = event.person.ownerId
      const { recipient, owner } = await resolveRecipient(directory, ownerId, fallback)
      if (!owner) logger.debug({ ownerId }, 'owner not in the directory: notifying the fallback')
      const failures: DeliveryError[] = []

      for (const { type, channel } of jobs) {
        const key = notificationKey(type, channel)
        const log = logger.child({ notification: key })
        const claim = await ledger.claim(session, 'notification', key)
        if (claim.status === 'done') continue
        if (claim.status === 'pending') {
          log.warn(
            { claimedAt: claim.claimedAt.toISOString() },
            'notification claimed before and never confirmed: not sent again (at most once)',
          )
          continue
        }
        const context = templateContext(event, type, { id: ownerId, contact: owner }, timeZone)
        const notification: Notification = {
          type,
          recipient,
          render: (part) => templates.render(type, part, context),
        }
        const sender = channels[channel]
        try {
          if (!sender) throw new RangeError(`no ${channel} channel`)
          const { id } = await sender.send(notification)
          await ledger.complete(session, 'notification', key, id)
          log.info({ messageId: id, fallback: !owner }, 'notification sent')
        } catch (error) {
          const failure = asDeliveryError(channel, error)
          if (failure.sent === 'unknown') {
            // Left pending on purpose: the next delivery sees 'pending' and does not resend.
            log.error(
              { err: failure },
              'notification may not have arrived: not sent again (at most once)',
            )
            continue
          }
          await ledger.release(session, 'notification', key)
          log.warn({ err: failure, retryable: failure.retryable }, 'notification not sent')
          failures.push(failure)
        }
      }

      if (failures.length === 0) return
      const reason = failures.map((failure) => failure.message).join('; ')
      if (failures.every((failure) => !failure.retryable)) throw new PermanentError(reason)
      throw new NotificationFailedError(reason)
    },
  }
}
