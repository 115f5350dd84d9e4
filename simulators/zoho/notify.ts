/**
 * @module simulators/zoho/notify
 * Sends notification callbacks: after a create, edit or delete in a module, one POST per live
 * channel watching it (`{module}.create|edit|delete|all`) to its `notify_url`, with the
 * documented keys `server_time` (ms), `query_params` (notify_url's query), `resource_uri`, `ids`,
 * `affected_fields` (only with `return_affected_field_values`), `operation` (`insert`,
 * `update`, `delete`), `module`, `channel_id` and `token`. One callback carries every id of the
 * write. Expired channels are dropped silently. No retries (none documented). Every attempt is
 * recorded for `/_sim/callbacks`.
 */
import type { ResolvedOptions } from './options.ts'
import type { CallbackAttempt, Channel, Fields, SimState } from './state.ts'

export type Operation = 'insert' | 'update' | 'delete'

const EVENT_OF: Record<Operation, string> = { insert: 'create', update: 'edit', delete: 'delete' }
/** Attempts kept for `/_sim/callbacks`; older ones are dropped. */
const MAX_ATTEMPTS = 10_000
const CALLBACK_TIMEOUT_MS = 10_000

export interface Change {
  readonly id: string
  /** Fields written, with their new values (for `affected_fields`). */
  readonly fields: Fields
}

export interface Notifier {
  emit(module: string, operation: Operation, changes: readonly Change[]): void
  /** Resolves when every callback sent so far has been answered or has failed. */
  flush(): Promise<void>
}

/** A channel id as a JSON number when it is a safe integer (Zoho: a long), else as given. */
const channelIdValue = (id: string | number): string | number => {
  const asNumber = Number(id)
  return Number.isSafeInteger(asNumber) && /^\d+$/.test(String(id)) ? asNumber : id
}

const watches = (channel: Channel, module: string, operation: Operation) =>
  channel.events.includes(`${module}.${EVENT_OF[operation]}`) ||
  channel.events.includes(`${module}.all`)

/** Drops channels whose expiry has passed; Zoho stops them without telling anyone. */
export const dropExpired = (state: SimState, now: number) => {
  for (const [key, channel] of state.channels) {
    if (channel.expiresAt <= now) state.channels.delete(key)
  }
}

export const createNotifier = (
  state: SimState,
  options: ResolvedOptions,
  apiDomain: () => string,
): Notifier => {
  const pending = new Set<Promise<void>>()

  const post = (channel: Channel, body: Record<string, unknown>) => {
    const attempt: CallbackAttempt = {
      channelId: String(channel.channelId),
      url: channel.notifyUrl,
      body,
      at: options.now(),
    }
    state.callbacks.push(attempt)
    if (state.callbacks.length > MAX_ATTEMPTS) state.callbacks.shift()
    const sent: Promise<void> = options
      .fetch(channel.notifyUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(CALLBACK_TIMEOUT_MS),
      })
      .then(async (response) => {
        attempt.status = response.status
        await response.body?.cancel()
      })
      .catch((error: unknown) => {
        attempt.error = error instanceof Error ? error.message : String(error)
      })
      .finally(() => pending.delete(sent))
    pending.add(sent)
  }

  return {
    emit(module, operation, changes) {
      if (changes.length === 0) return
      const now = options.now()
      dropExpired(state, now)
      for (const channel of state.channels.values()) {
        if (!watches(channel, module, operation)) continue
        const affected =
          channel.returnAffectedFieldValues && operation !== 'delete'
            ? { affected_fields: changes.map((change) => ({ [change.id]: change.fields })) }
            : {}
        post(channel, {
          server_time: now,
          query_params: Object.fromEntries(new URL(channel.notifyUrl).searchParams),
          resource_uri: `${apiDomain()}/crm/v2/${module}`,
          ids: changes.map((change) => change.id),
          ...affected,
          operation,
          module,
          channel_id: channelIdValue(channel.channelId),
          ...(channel.token !== null ? { token: channel.token } : {}),
        })
      }
    },
    async flush() {
      while (pending.size > 0) await Promise.all([...pending])
    },
  }
}
