/**
 * @module gateway/keepers/zoho-keeper
 * Keeps the Zoho notification (watch) channel alive. Zoho channels live at most one week and stop
 * silently when they expire, so the keeper renews well before (default: when less than two days
 * are left), re-enables a channel that vanished, and fixes events or notify_url that drifted. The
 * channel's token is written to kv BEFORE the channel is enabled, so the gateway already accepts
 * the first callback.
 */
import { randomBytes } from 'node:crypto'
import type { Kv } from '../../platform/kv/port.ts'
import type { Logger } from '../../platform/log/logger.ts'
import { zohoChannelTokenKey } from '../channel-token.ts'

/** The watch operations the keeper needs (the Zoho client provides them). */
export interface WatchApi {
  list(filter: { channelId: string }): Promise<
    readonly {
      channel_id: string
      events?: readonly string[] | undefined
      channel_expiry?: string | undefined
      notify_url?: string | undefined
    }[]
  >
  ensure(subscription: {
    channelId: string
    events: readonly string[]
    notifyUrl: string
    token: string
    returnAffectedFieldValues?: boolean
  }): Promise<{ channelId: string; expiresAt: Date }>
}

export interface ZohoKeeperOptions {
  readonly api: WatchApi
  readonly kv: Kv
  readonly channelId: string
  readonly events: readonly string[]
  readonly notifyUrl: string
  /** The configured token (ZOHO_WEBHOOK_TOKEN); without one a random token is made and kept in kv. */
  readonly token?: string
  readonly renewWithinMs?: number
  readonly logger: Logger
  readonly now?: () => number
}

export type ZohoKeeperAction = 'keep' | 'enable' | 'renew' | 'update'

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x) => b.includes(x))

export const createZohoKeeper = ({
  api,
  kv,
  channelId,
  events,
  notifyUrl,
  token,
  renewWithinMs = 2 * 86_400_000,
  logger,
  now = Date.now,
}: ZohoKeeperOptions) => {
  /** The channel token: configured, or made once and kept (Zoho allows at most 50 characters). */
  const channelToken = async () => {
    if (token) {
      await kv.set(zohoChannelTokenKey(channelId), token)
      return token
    }
    const existing = await kv.get(zohoChannelTokenKey(channelId))
    if (existing) return existing
    const made = randomBytes(24).toString('base64url') // 32 characters
    await kv.set(zohoChannelTokenKey(channelId), made)
    return made
  }

  const ensure = async (): Promise<{ action: ZohoKeeperAction; expiresAt: string | null }> => {
    const [channel] = await api.list({ channelId })
    const expiresAt = channel?.channel_expiry ? Date.parse(channel.channel_expiry) : Number.NaN
    const action: ZohoKeeperAction = !channel
      ? 'enable'
      : !sameSet(channel.events ?? [], events) || channel.notify_url !== notifyUrl
        ? 'update'
        : Number.isNaN(expiresAt) || expiresAt - now() < renewWithinMs
          ? 'renew'
          : 'keep'
    if (action === 'keep') return { action, expiresAt: new Date(expiresAt).toISOString() }
    // Changed values come with each callback, so crm-sync evicts only what a change touches.
    const grant = await api.ensure({
      channelId,
      events,
      notifyUrl,
      token: await channelToken(),
      returnAffectedFieldValues: true,
    })
    logger.info(
      { action, channelId, expiresAt: grant.expiresAt.toISOString() },
      'Zoho watch channel updated',
    )
    return { action, expiresAt: grant.expiresAt.toISOString() }
  }

  const status = async () => {
    const [channel] = await api.list({ channelId })
    return { channelId, notifyUrl, events, channel: channel ?? null }
  }

  return { ensure, status }
}

export type ZohoKeeper = ReturnType<typeof createZohoKeeper>
