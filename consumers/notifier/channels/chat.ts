/**
 * @module consumers/notifier/channels/chat
 * A chat webhook: Slack-compatible JSON `{ text, blocks }` POSTed to a configured URL (Slack
 * incoming webhooks, Mattermost, Rocket.Chat and Google Chat's compatible endpoints accept it).
 * The URL is a secret (it carries the token): it never appears in errors or logs.
 */
import { DeliveryError, type NotificationChannel } from '../delivery.ts'

/** Options of {@link createChatChannel}. */
export interface ChatChannelOptions {
  readonly url: string
  /** Per request. Default 10 s. */
  readonly timeoutMs?: number
  readonly fetch?: typeof fetch
}

/** Slack's limit for the text of a section block. */
const sectionLimit = 3000
const refusedConnection = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
])

const causeCode = (error: unknown): string | undefined => {
  const cause = error instanceof Error ? error.cause : undefined
  return cause instanceof Error && 'code' in cause && typeof cause.code === 'string'
    ? cause.code
    : undefined
}

/** The JSON body of a chat message. */
export const chatPayload = (text: string) => ({
  text,
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text: text.slice(0, sectionLimit) } }],
})

/**
 * Creates the chat channel. A refused connection, 429 and 5xx are "not sent" and retried; other
 * 4xx are "not sent" for good (wrong URL, revoked hook); a timeout or a reset after the request
 * went out is "unknown" and never repeated.
 *
 * @example
 * ```ts
 * const chat = createChatChannel({ url: 'https://hooks.slack.com/services/T000/B000/XXXX' })
 * ```
 */
export const createChatChannel = ({
  url,
  timeoutMs = 10_000,
  fetch: fetchImpl = fetch,
}: ChatChannelOptions): NotificationChannel => {
  const target = new URL(url)
  if (target.protocol !== 'https:' && target.protocol !== 'http:') {
    throw new RangeError('the chat webhook URL must be an http(s) URL')
  }
  return {
    name: 'chat',
    send: async (notification) => {
      let response: Response
      try {
        response = await fetchImpl(target, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(chatPayload(notification.render('chat'))),
          redirect: 'error',
          signal: AbortSignal.timeout(timeoutMs),
        })
      } catch (error) {
        const code = causeCode(error)
        const refused = code !== undefined && refusedConnection.has(code)
        throw new DeliveryError(`chat: webhook request failed (${code ?? String(error)})`, {
          sent: refused ? 'no' : 'unknown',
          retryable: refused,
          cause: error,
        })
      }
      await response.body?.cancel().catch(() => {})
      if (response.ok) return { id: null }
      const retryable = response.status === 429 || response.status >= 500
      throw new DeliveryError(`chat: webhook answered ${response.status}`, {
        sent: 'no',
        retryable,
      })
    },
  }
}
