/**
 * @module simulators/ringcentral/deliveries
 * Webhook deliveries: one serial queue per subscription, faults (drop, duplicate with the same
 * uuid, reorder, delay), every attempt recorded, and blacklisting of a subscription whose
 * deliveries have failed (non-200, timeout, refused) continuously for `blacklistAfterMs`. There are
 * no retries: RingCentral documents none, a failed notification is lost.
 */
import { STATUS_CODES } from 'node:http'
import type { RingCentralEnvelope } from '../../schemas/ringcentral/envelope.ts'
import { iso, type SimCore, type SubscriptionRecord } from './state.ts'
import type { CallFaults, DeliveryAttempt } from './types.ts'
import { postToWebhook } from './webhook-http.ts'

/** Envelope fields the delivery decides; the notification builds the rest. */
export interface EnvelopeFields {
  readonly uuid: string
  readonly event: string
  readonly timestamp: string
  readonly subscriptionId: string
  readonly ownerId: string
}

/** A notification for one subscription, before its envelope exists. */
export interface OutgoingNotification {
  readonly kind: DeliveryAttempt['kind']
  readonly event: string
  readonly telephonySessionId?: string
  readonly sequence?: number
  readonly build: (envelope: EnvelopeFields) => RingCentralEnvelope
}

/** Queues notifications and awaits them. */
export interface Deliverer {
  /** Queues `items` for `subscription` with `faults` (over the global ones); returns at once. */
  enqueue(
    subscription: SubscriptionRecord,
    items: readonly OutgoingNotification[],
    faults?: CallFaults,
  ): void
  /** Resolves when every queued delivery has been attempted. */
  flush(): Promise<void>
}

/** How many delivery attempts are kept for inspection (the oldest are forgotten). */
export const maxDeliveryHistory = 10_000

/** The headers RingCentral sends with a notification. */
export const notificationHeaders = (
  verificationToken: string | undefined,
): Record<string, string> => ({
  Accept: 'application/json',
  'Content-Type': 'application/json; charset=UTF-8',
  'User-Agent': 'RingCentral-Webhook/8.3',
  ...(verificationToken === undefined ? {} : { 'Verification-Token': verificationToken }),
})

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

interface Planned {
  readonly item: OutgoingNotification
  readonly uuid: string
  readonly duplicate: boolean
  readonly dropped: boolean
}

/** Creates the delivery engine. */
export const createDeliverer = (core: SimCore): Deliverer => {
  const chains = new Map<string, Promise<void>>()
  const pending = new Set<Promise<void>>()

  const shuffle = <T>(items: T[]): T[] => {
    const out = [...items]
    for (let i = out.length - 1; i > 0; i--) {
      const j = core.rng.int(i + 1)
      ;[out[i], out[j]] = [out[j] as T, out[i] as T]
    }
    if (out.length > 1 && out.every((x, i) => x === items[i])) out.reverse()
    return out
  }

  let seq = 0
  /** Keeps the last {@link maxDeliveryHistory} attempts, numbered in the order they finish. */
  const record = (attempt: Omit<DeliveryAttempt, 'seq'>) => {
    core.deliveries.push({ seq: ++seq, ...attempt })
    if (core.deliveries.length > maxDeliveryHistory) {
      core.deliveries.splice(0, core.deliveries.length - maxDeliveryHistory)
    }
  }

  const settle = (sub: SubscriptionRecord, ok: boolean, error: string | undefined) => {
    const now = core.now()
    if (ok) {
      sub.delivered++
      sub.consecutiveFailures = 0
      sub.failingSince = undefined
      return
    }
    sub.consecutiveFailures++
    sub.totalFailures++
    sub.failingSince ??= now
    sub.lastError = error
    if (sub.status === 'Active' && now - sub.failingSince >= core.config.blacklistAfterMs) {
      sub.status = 'Blacklisted'
      sub.blacklistedData = { blacklistedAt: iso(now), reason: error ?? 'Unknown' }
    }
  }

  const attempt = async (sub: SubscriptionRecord, planned: Planned, delayMs: number) => {
    if (delayMs > 0) await sleep(delayMs)
    if (core.subscriptions.get(sub.id) !== sub || sub.status !== 'Active') return
    if (sub.expirationTime <= core.now()) return
    const { item } = planned
    const attemptedAt = core.now()
    const payload = item.build({
      uuid: planned.uuid,
      event: item.event,
      timestamp: iso(attemptedAt),
      subscriptionId: sub.id,
      ownerId: sub.ownerId,
    })
    const base = {
      subscriptionId: sub.id,
      address: sub.address,
      uuid: planned.uuid,
      event: item.event,
      kind: item.kind,
      ...(item.telephonySessionId === undefined
        ? {}
        : { telephonySessionId: item.telephonySessionId }),
      ...(item.sequence === undefined ? {} : { sequence: item.sequence }),
      attemptedAt: iso(attemptedAt),
      duplicate: planned.duplicate,
      payload,
    }
    const { counters } = core
    if (planned.dropped) {
      counters.deliveries.dropped++
      record({ ...base, outcome: 'dropped', latencyMs: 0 })
      return
    }
    counters.deliveries.attempted++
    if (planned.duplicate) counters.deliveries.duplicates++
    const answer = await postToWebhook(core.config.fetch, sub.address, {
      headers: notificationHeaders(sub.verificationToken),
      body: JSON.stringify(payload),
      timeoutMs: core.config.webhookTimeoutMs,
    })
    const ok = answer.ok && answer.status === 200
    const error = answer.ok
      ? ok
        ? undefined
        : `Webhook responses with code: [${answer.status}], reason: [${answer.statusText || STATUS_CODES[answer.status] || 'Unknown'}]`
      : answer.error
    settle(sub, ok, error)
    if (ok) counters.deliveries.delivered++
    else counters.deliveries.failed++
    record({
      ...base,
      outcome: ok ? 'delivered' : 'failed',
      ...(answer.ok ? { status: answer.status } : {}),
      ...(error === undefined ? {} : { error }),
      latencyMs: answer.latencyMs,
    })
  }

  return {
    enqueue(sub, items, callFaults = {}) {
      const global = core.faults
      const drop = callFaults.drop ?? global.webhookDrop ?? 0
      const duplicate = callFaults.duplicate ?? global.duplicate ?? 0
      const reorder = callFaults.reorder ?? global.reorder ?? false
      const delayMs = callFaults.delayMs ?? global.delayMs ?? 0
      const ordered = reorder ? shuffle([...items]) : [...items]
      const planned: Planned[] = []
      for (const item of ordered) {
        const uuid = core.ids.notificationUuid()
        const copies = duplicate >= 1 ? Math.floor(duplicate) : core.rng.next() < duplicate ? 1 : 0
        for (let copy = 0; copy <= copies; copy++) {
          planned.push({
            item,
            uuid,
            duplicate: copy > 0,
            dropped: drop > 0 && core.rng.next() < drop,
          })
        }
      }
      let chain = chains.get(sub.id) ?? Promise.resolve()
      for (const p of planned) {
        chain = chain.then(() => attempt(sub, p, delayMs).catch(() => undefined))
      }
      const tracked = chain.finally(() => {
        pending.delete(tracked)
        if (chains.get(sub.id) === tracked) chains.delete(sub.id)
      })
      pending.add(tracked)
      chains.set(sub.id, tracked)
    },
    async flush() {
      while (pending.size > 0) await Promise.allSettled([...pending])
    },
  }
}
