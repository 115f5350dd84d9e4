/**
 * @module consumers/notifier/channels/sms
 * SMS through RingCentral from a configured number of the JWT user. The client never repeats an
 * SMS request on its own; this channel classifies its errors: 429 and a budget or token wait that
 * gave up are "not sent" (retry), other 4xx are "not sent" for good, 5xx and network errors are
 * "unknown" (RingCentral may have queued the text) and never repeated.
 */
import {
  RingCentralApiError,
  type RingCentralClient,
  RingCentralUnavailableError,
} from '../../../integrations/ringcentral/index.ts'
import { DeliveryError, type NotificationChannel } from '../delivery.ts'

/** RingCentral's limit for one SMS text (longer ones are split into segments by the carrier). */
const maxText = 1000

/** Options of {@link createSmsChannel}. */
export interface SmsChannelOptions {
  readonly ringcentral: Pick<RingCentralClient, 'sendSms'>
  /** E.164 number of the JWT user, enabled for SMS. */
  readonly from: string
}

/** Classifies a failure of `sendSms`. */
export const classifySmsError = (error: unknown): DeliveryError => {
  const reason = `sms: ${error instanceof Error ? error.message : String(error)}`
  if (error instanceof RingCentralUnavailableError) {
    return new DeliveryError(reason, { sent: 'no', retryable: true, cause: error })
  }
  if (error instanceof RingCentralApiError && error.status < 500) {
    const retryable = error.status === 429 || error.status === 408
    return new DeliveryError(reason, { sent: 'no', retryable, cause: error })
  }
  return new DeliveryError(reason, { sent: 'unknown', retryable: false, cause: error })
}

/**
 * Creates the SMS channel.
 *
 * @example
 * ```ts
 * const sms = createSmsChannel({ ringcentral: rc, from: '+16505550111' })
 * ```
 */
export const createSmsChannel = ({
  ringcentral,
  from,
}: SmsChannelOptions): NotificationChannel => ({
  name: 'sms',
  send: async (notification) => {
    const to = notification.recipient.mobile
    if (!to) {
      throw new DeliveryError('sms: no mobile number for the owner and no fallback number', {
        sent: 'no',
        retryable: false,
      })
    }
    try {
      const message = await ringcentral.sendSms({
        from,
        to,
        text: notification.render('sms').slice(0, maxText),
      })
      return { id: String(message.id) }
    } catch (error) {
      throw classifySmsError(error)
    }
  },
})
