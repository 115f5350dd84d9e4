/**
 * @module consumers/call-tracker/complete
 * The one publishing rule shared by the webhook handler, the reconciler and the backfill: a call
 * reaches `calls.completed` once, guarded by the ledger effect `completed`.
 *
 *   1. build the facts from the call-log records (call-facts.ts);
 *   2. `ledger.claim(session, 'completed')`: `done` → nothing to do; `pending` younger than
 *      `pendingGraceMs` → another worker is publishing it right now (busy); otherwise go on;
 *   3. `ledger.recordCompleted(call)`: the `calls` row first, so the lead-matcher, which may act on
 *      the event within milliseconds, always finds the row it writes its CRM facts to;
 *   4. publish (key = telephonySessionId, ce_id `call:<id>`);
 *   5. `ledger.complete(...)`.
 *
 * A crash between 4 and 5 publishes the call again on the next attempt (the claim is `pending`).
 * That is accepted: the ce_id is stable and the lead-matcher is idempotent per session through
 * the ledger. Claims are held only for steps 3-5 (milliseconds): the slow call-log fetch happens
 * before the claim, so `pending` almost always means a worker died there.
 */
import type { CountryCode } from 'libphonenumber-js'
import type { CallLogRecord } from '../../integrations/ringcentral/index.ts'
import type { Bus } from '../../platform/bus/port.ts'
import { type CallCompleted, callTopics } from '../../schemas/calls.ts'
import type { Ledger } from '../ledger/ledger.ts'
import { publishEvent } from '../shared/publish.ts'
import { type CompletionSource, callFacts, type SessionHints } from './call-facts.ts'

/** The ledger operations the publishing rule uses. */
export type CompletionLedger = Pick<
  Ledger,
  'claim' | 'complete' | 'release' | 'recordCompleted' | 'completedAmong'
>

/** CloudEvents attributes of `calls.completed`. */
export const completedEvent = {
  topic: callTopics.callsCompleted.name,
  type: 'callbridge.call.completed',
  source: '/callbridge/call-tracker',
} as const

/** The stable ce_id of a completed call. */
export const completedEventId = (telephonySessionId: string): string => `call:${telephonySessionId}`

/** Publishes `call` on `calls.completed`. */
export const publishCompleted = (bus: Bus, call: CallCompleted): Promise<void> =>
  publishEvent(bus, {
    topic: completedEvent.topic,
    key: call.telephonySessionId,
    id: completedEventId(call.telephonySessionId),
    type: completedEvent.type,
    source: completedEvent.source,
    value: call,
  })

export interface CompleteCallOptions {
  readonly bus: Bus
  readonly ledger: CompletionLedger
  readonly telephonySessionId: string
  readonly records: readonly CallLogRecord[]
  readonly source: CompletionSource
  readonly region: CountryCode
  readonly hints?: SessionHints
  /** A `pending` claim younger than this belongs to a live worker. Default 120 000 ms. */
  readonly pendingGraceMs?: number
  readonly now?: () => number
}

/** What {@link completeCall} did. */
export type Completion =
  | { readonly outcome: 'published'; readonly call: CallCompleted }
  /** Already completed (by this path or another). */
  | { readonly outcome: 'done' }
  /** Another worker holds a fresh claim. */
  | { readonly outcome: 'busy' }
  /** The records do not make a valid call (see `error`); nothing was claimed. */
  | { readonly outcome: 'invalid'; readonly error: string }

/**
 * Publishes the call of `records` unless the ledger says it was published already.
 *
 * @example
 * ```ts
 * const result = await completeCall({ bus, ledger, telephonySessionId, records, source: 'reconciler', region: 'US' })
 * if (result.outcome === 'busy') deferToNextRun()
 * ```
 */
export const completeCall = async ({
  bus,
  ledger,
  telephonySessionId,
  records,
  source,
  region,
  hints,
  pendingGraceMs = 120_000,
  now = Date.now,
}: CompleteCallOptions): Promise<Completion> => {
  const facts = callFacts({
    telephonySessionId,
    records,
    source,
    region,
    ...(hints ? { hints } : {}),
  })
  if (!facts.ok) return { outcome: 'invalid', error: facts.error }
  const claim = await ledger.claim(telephonySessionId, 'completed')
  if (claim.status === 'done') return { outcome: 'done' }
  if (claim.status === 'pending' && now() - claim.claimedAt.getTime() < pendingGraceMs) {
    return { outcome: 'busy' }
  }
  try {
    await ledger.recordCompleted(facts.call)
    await publishCompleted(bus, facts.call)
  } catch (error) {
    // Nothing reached the bus (or we cannot tell): give a claim of ours back so a retry may
    // claim it at once. A taken-over `pending` claim is left alone: its row may be another's.
    if (claim.status === 'claimed') await ledger.release(telephonySessionId, 'completed')
    throw error
  }
  await ledger.complete(telephonySessionId, 'completed', '', completedEventId(telephonySessionId))
  return { outcome: 'published', call: facts.call }
}
