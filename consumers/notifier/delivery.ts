/**
 * @module consumers/notifier/delivery
 * What a channel gets to send, and the one error every channel throws. A failed send is either
 * surely NOT sent (the server refused, or no connection was made: safe to try again later) or of
 * UNKNOWN outcome (the request went out and no clear answer came back: the notifier never sends it
 * again, because a lost notification is better than a duplicate).
 */
import type { ChannelName, NotificationType } from './events.ts'
import type { OwnerContact } from './owner-directory.ts'
import type { TemplatePart } from './templates.ts'

/** One notification, ready to render for any channel. */
export interface Notification {
  readonly type: NotificationType
  /** Where it goes: the owner's contact, each field falling back to the configured fallback. */
  readonly recipient: OwnerContact
  /** Renders a part of the type's template with the event's fields (escaped for the part). */
  render(part: TemplatePart): string
}

/** A way to deliver notifications (e-mail, chat webhook, SMS). */
export interface NotificationChannel {
  readonly name: ChannelName
  /** Sends it; resolves to the provider's message id when it gives one. Throws DeliveryError. */
  send(notification: Notification): Promise<{ readonly id: string | null }>
}

/** A failed send, classified. */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError'
  /** `no`: surely not delivered; `unknown`: it may have been delivered. */
  readonly sent: 'no' | 'unknown'
  /** For `sent: 'no'`: whether a later attempt may succeed (false: fix the configuration). */
  readonly retryable: boolean

  constructor(
    message: string,
    options: { sent: 'no' | 'unknown'; retryable: boolean; cause?: unknown },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.sent = options.sent
    this.retryable = options.retryable
  }
}

/** Any error as a DeliveryError; an unclassified one is of unknown outcome (never resent). */
export const asDeliveryError = (channel: ChannelName, error: unknown): DeliveryError =>
  error instanceof DeliveryError
    ? error
    : new DeliveryError(`${channel}: ${error instanceof Error ? error.message : String(error)}`, {
        sent: 'unknown',
        retryable: false,
        cause: error,
      })
