/**
 * @module consumers/notifier/events
 * What a `calls.matched` event is worth notifying about, and through which channels. One call can
 * be two notification types at once: a missed call from a new caller is `missed` and `new-lead`.
 */
import type { CallMatched } from '../../schemas/calls.ts'

/** The notification types, in the order they are sent. */
export const notificationTypes = ['missed', 'voicemail', 'new-lead'] as const
export type NotificationType = (typeof notificationTypes)[number]

/** The channels a notification can go out on. */
export const channelNames = ['email', 'chat', 'sms'] as const
export type ChannelName = (typeof channelNames)[number]

/** Which channels each notification type goes out on; a type with no entry is not notified. */
export type ChannelRoutes = Readonly<Partial<Record<NotificationType, readonly ChannelName[]>>>

/**
 * The notification types of an event: `missed` or `voicemail` by the call's result, plus
 * `new-lead` when the lead-matcher created the lead for this call.
 *
 * @example
 * ```ts
 * notificationTypesOf({ ...matched, createdLead: true }) // ['missed', 'new-lead'] for a missed call
 * ```
 */
export const notificationTypesOf = (event: CallMatched): NotificationType[] => [
  ...(event.call.result === 'missed' ? (['missed'] as const) : []),
  ...(event.call.result === 'voicemail' ? (['voicemail'] as const) : []),
  ...(event.createdLead ? (['new-lead'] as const) : []),
]

/** The ledger key of one notification: `<type>:<channel>` (at most once per call and key). */
export const notificationKey = (type: NotificationType, channel: ChannelName): string =>
  `${type}:${channel}`
