/**
 * @module consumers/notifier/channels/email
 * E-mail through SMTP with nodemailer: a transport from an SMTP URL, one message per notification
 * (subject, HTML and text from the templates). SMTP failures are classified by how far the
 * session got: a reply code (the server refused) or a failure before the message was handed over
 * (DNS, connect, greeting, TLS, auth) is "not sent"; a connection lost or timed out while the
 * message was in flight is "unknown" and never retried.
 */
import { createTransport } from 'nodemailer'
import { isPermanentResponseCode } from 'nodemailer/lib/errors'
import { z } from 'zod'
import { DeliveryError, type NotificationChannel } from '../delivery.ts'

/** Options of {@link createEmailChannel}. */
export interface EmailChannelOptions {
  /** `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://user:pass@host:465`. */
  readonly smtpUrl: string
  /** The From header, e.g. `callbridge <calls@example.com>`. */
  readonly from: string
  /** Inactivity timeout of the SMTP session. Default 30 s. */
  readonly timeoutMs?: number
}

/** The e-mail channel; `close()` ends idle SMTP connections. */
export interface EmailChannel extends NotificationChannel {
  close(): void
}

const SmtpFailure = z.looseObject({
  code: z.string().optional(),
  responseCode: z.number().optional(),
  permanent: z.boolean().optional(),
  originalCode: z.string().optional(),
  timeoutType: z.string().optional(),
})

/** Nothing was handed over; the configuration must change first. */
const configCodes = new Set(['EAUTH', 'ENOAUTH', 'EOAUTH2', 'ECONFIG', 'EENVELOPE', 'EREQUIRETLS'])
/** Nothing was handed over; may work later. */
const transientBeforeSending = new Set(['EDNS', 'ETLS', 'EPROXY', 'EMAXLIMIT'])
const refusedConnection = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
])
const timeoutsBeforeSending = new Set(['CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'UPGRADE_TIMEOUT'])

/** Classifies a nodemailer SMTP error (see the module comment). */
export const classifySmtpError = (error: unknown): DeliveryError => {
  const parsed = SmtpFailure.safeParse(error)
  const failure = parsed.success ? parsed.data : {}
  const reason = `e-mail: ${error instanceof Error ? error.message : String(error)}`
  const notSent = (retryable: boolean) =>
    new DeliveryError(reason, { sent: 'no', retryable, cause: error })
  if (failure.responseCode !== undefined) {
    return notSent(!(failure.permanent ?? isPermanentResponseCode(failure.responseCode)))
  }
  const code = failure.code ?? ''
  if (configCodes.has(code)) return notSent(false)
  if (transientBeforeSending.has(code)) return notSent(true)
  // `command: 'CONN'` is on every connection-level error, also one in the middle of DATA: it
  // says nothing about how far the message got, so only these causes count as "before sending".
  if (
    refusedConnection.has(failure.originalCode ?? '') ||
    refusedConnection.has(code) ||
    timeoutsBeforeSending.has(failure.timeoutType ?? '')
  ) {
    return notSent(true)
  }
  return new DeliveryError(reason, { sent: 'unknown', retryable: false, cause: error })
}

/**
 * Creates the e-mail channel.
 *
 * @example
 * ```ts
 * const email = createEmailChannel({ smtpUrl: 'smtp://user:pass@smtp.example.com:587', from: 'calls@example.com' })
 * ```
 */
export const createEmailChannel = ({
  smtpUrl,
  from,
  timeoutMs = 30_000,
}: EmailChannelOptions): EmailChannel => {
  if (!/^smtps?:\/\//i.test(smtpUrl))
    throw new RangeError('the SMTP URL must start with smtp:// or smtps://')
  const transport = createTransport({
    url: smtpUrl,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: timeoutMs,
  })
  return {
    name: 'email',
    send: async (notification) => {
      const to = notification.recipient.email
      if (!to) {
        throw new DeliveryError('e-mail: no address for the owner and no fallback address', {
          sent: 'no',
          retryable: false,
        })
      }
      try {
        const info = await transport.sendMail({
          from,
          to,
          subject: notification.render('subject'),
          html: notification.render('html'),
          text: notification.render('text'),
        })
        return { id: info.messageId ?? null }
      } catch (error) {
        throw classifySmtpError(error)
      }
    },
    close: () => transport.close(),
  }
}
