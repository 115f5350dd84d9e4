/**
 * @module consumers/call-tracker/handler
 * The call-tracker consumer of `ringcentral.webhooks`: folds each telephony-session event into the
 * session's state (kv), and when the call has really ended fetches its call-log records and
 * publishes exactly one `calls.completed` (complete.ts). The call log lags the end of a call by
 * 15-30 s (reference §4), so "not there yet" throws a retryable error and the runtime retries the
 * event later; the consumer's backoff is set so those retries come 10-30 s apart.
 *
 * Other kinds are acknowledged and ignored: reminders and generic events are none of its business,
 * and voicemail notifications carry no telephonySessionId (only the message id, which the call-log
 * record links back through `message.id`): a voicemail is known from the session's `VoiceMail`
 * status and the call-log result `Voicemail` instead.
 */
import type { CountryCode } from 'libphonenumber-js'
import type { RingCentralClient } from '../../integrations/ringcentral/index.ts'
import type { Bus } from '../../platform/bus/port.ts'
import { formatIssues } from '../../schemas/issues.ts'
import { TelephonySessionNotification } from '../../schemas/ringcentral/telephony-session.ts'
import { topicNames } from '../../schemas/topics.ts'
import { RingCentralWebhookEvent } from '../../schemas/webhook-event.ts'
import type { BackoffOptions, ConsumerDefinition, HandlerContext } from '../runtime/index.ts'
import { PermanentError } from '../runtime/index.ts'
import { inProgress } from './call-facts.ts'
import { type CompletionLedger, completeCall } from './complete.ts'
import { callEnded, foldEvent } from './fold.ts'
import type { SessionRecord, SessionStore } from './state-store.ts'

/** The call has ended but its call-log records are not there yet (or still in progress). */
export class CallLogNotReadyError extends Error {
  override readonly name = 'CallLogNotReadyError'
  /** Routine: logged at info, without a stack, when a retry is scheduled. */
  readonly expected = true
}

/** The session was recorded but the call log has no recording yet. */
export class RecordingNotReadyError extends Error {
  override readonly name = 'RecordingNotReadyError'
  /** Routine: logged at info, without a stack, when a retry is scheduled. */
  readonly expected = true
}

/** Another worker holds a fresh ledger claim on the call: look again on the next attempt. */
export class CompletionBusyError extends Error {
  override readonly name = 'CompletionBusyError'
  /** Routine: logged at info, without a stack, when a retry is scheduled. */
  readonly expected = true
}

/** The ports and settings of the handler. */
export interface CallTrackerPorts {
  readonly bus: Bus
  readonly sessions: SessionStore
  readonly ledger: CompletionLedger
  readonly callLog: Pick<RingCentralClient, 'callLogByTelephonySession'>
  /** Region for call-log numbers without a country code. */
  readonly region: CountryCode
  /**
   * When the session events showed a recording but the call log has none yet, attempts before
   * this one are retried; from this attempt on the call is published without it. Default 6.
   */
  readonly recordingWaitAttempts?: number
  /**
   * The call log never shows a call this soon after its last event (15-30 s, reference §4): the
   * first attempt within this time retries without a request, saving the Heavy budget. Default
   * 15 000 ms; only the first attempt waits, so a skewed clock cannot hold a call back for long.
   */
  readonly callLogDelayMs?: number
  readonly now?: () => number
}

/**
 * The handler. Idempotent: duplicates fold as no-ops, and the ledger guards the publication.
 *
 * @example
 * ```ts
 * const handle = createCallTrackerHandler({ bus, sessions, ledger, callLog: rc, region: 'US' })
 * ```
 */
export const createCallTrackerHandler = (ports: CallTrackerPorts) => {
  const {
    bus,
    sessions,
    ledger,
    callLog,
    region,
    recordingWaitAttempts = 6,
    callLogDelayMs = 15_000,
    now = Date.now,
  } = ports

  /** Fetches the call log of an ended call and publishes it (the event owns the completion). */
  const completeEnded = async (record: SessionRecord, { logger, attempt }: HandlerContext) => {
    const id = record.call.telephonySessionId
    const log = logger.child({ telephony_session_id: id })
    // The reconciler may have been first: a ledger read is cheaper than a Heavy call-log request.
    if ((await ledger.completedAmong([id])).has(id)) return
    const endedAt = Date.parse(record.call.lastEventTime ?? '')
    if (attempt === 1 && now() - endedAt < callLogDelayMs) {
      throw new CallLogNotReadyError(`call ${id} just ended; its call log cannot be there yet`)
    }
    const records = await callLog.callLogByTelephonySession(id, { view: 'Detailed' })
    if (records.length === 0 || records.some(inProgress)) {
      throw new CallLogNotReadyError(`call log of ${id} not available yet`)
    }
    if (record.call.recordingIds.length > 0 && !records.some((r) => r.recording !== undefined)) {
      if (attempt < recordingWaitAttempts) {
        throw new RecordingNotReadyError(`recording of ${id} not in the call log yet`)
      }
      log.warn({ attempt }, 'recording still missing from the call log; publishing without it')
    }
    const result = await completeCall({
      bus,
      ledger,
      telephonySessionId: id,
      records,
      source: 'webhook',
      region,
      hints: { voicemail: record.call.voicemail },
    })
    switch (result.outcome) {
      case 'invalid':
        throw new PermanentError(result.error)
      case 'busy':
        throw new CompletionBusyError(`call ${id} is being completed by another worker`)
      case 'published':
        log.info(
          { result: result.call.result, call_log_ids: result.call.callLogIds },
          'call completed',
        )
        return
      case 'done':
        log.debug('call was already completed')
        return
    }
  }

  return async (event: RingCentralWebhookEvent, context: HandlerContext): Promise<void> => {
    if (event.kind !== 'telephony-session') {
      context.logger.debug({ kind: event.kind }, 'not a telephony-session event; ignored')
      return
    }
    const parsed = TelephonySessionNotification.safeParse(event.payload)
    if (!parsed.success) {
      throw new PermanentError(`invalid telephony-session payload: ${formatIssues(parsed.error)}`)
    }
    const { body } = parsed.data
    const record = await sessions.update(body.telephonySessionId, (current) => {
      const call = foldEvent(current.call, body)
      const endOwner = current.endOwner ?? (callEnded(call) ? context.correlationId : null)
      return { ...current, call, endOwner }
    })
    if (!callEnded(record.call) || record.completed || record.endOwner !== context.correlationId) {
      return
    }
    await completeEnded(record, context)
    await sessions.update(body.telephonySessionId, (current) => ({ ...current, completed: true }))
  }
}

/** Retries of the handler in production: 10-30 s apart (see {@link callTrackerJitter}). */
export const callTrackerBackoff: Required<BackoffOptions> = { baseMs: 30_000, maxMs: 30_000 }

/**
 * The runtime's backoff is full jitter (a uniform wait below the ceiling); with a 30 s ceiling
 * this jitter source keeps each wait in [10 s, 30 s): never a retry that comes back at once to a
 * call log that cannot be there yet. Pass it as `startConsumer({ random })`.
 */
export const callTrackerJitter = (): number => 1 / 3 + (Math.random() * 2) / 3

export interface CallTrackerConsumerOptions extends CallTrackerPorts {
  /** Default {@link callTrackerBackoff}; tests shorten it. */
  readonly backoff?: BackoffOptions
  /** Attempts before the event is parked (the reconciler then catches the call). Default 10. */
  readonly maxAttempts?: number
}

/**
 * The consumer definition: `call-tracker` on `ringcentral.webhooks`.
 *
 * @example
 * ```ts
 * await startConsumer({ bus, definition: callTrackerConsumer(ports), logger, metrics, random: callTrackerJitter })
 * ```
 */
export const callTrackerConsumer = ({
  backoff = callTrackerBackoff,
  maxAttempts = 10,
  ...ports
}: CallTrackerConsumerOptions): ConsumerDefinition<RingCentralWebhookEvent> => ({
  name: 'call-tracker',
  topic: topicNames.ringcentralWebhooks,
  schema: RingCentralWebhookEvent,
  handle: createCallTrackerHandler(ports),
  maxAttempts,
  backoff,
})
