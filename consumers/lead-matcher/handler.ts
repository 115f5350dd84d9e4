/**
 * @module consumers/lead-matcher/handler
 * The lead-matcher's handler, for each `calls.completed`: the external party's person (found or
 * created, see resolve-person.ts), the call logged in Zoho's Calls module (ledger effect
 * `call_activity`), a note when configured (effect `note`), the CRM facts on the ledger's call
 * row, then `calls.matched`. Every effect is claimed in the ledger first, so a redelivered event
 * repeats none of them; an effect whose claim was never confirmed is first looked for in the CRM
 * by its session marker (./recover.ts). The publish is repeated (same `ce_id`), which consumers
 * must tolerate.
 *
 * Anonymous callers (no number) are skipped: there is no one to match or create, and the Calls
 * module needs a person; the skip is logged and counted (`outcome="anonymous"`).
 */
import type { Crm } from '../../integrations/crm/port.ts'
import type { Kv } from '../../platform/kv/port.ts'
import { type CallCompleted, CallMatched, callTopics } from '../../schemas/calls.ts'
import type { HandlerContext } from '../runtime/index.ts'
import type { PipelineEvent } from '../shared/publish.ts'
import { callActivityOf, noteOf, sessionMarkerOf } from './activity.ts'
import { viaCrm } from './crm-errors.ts'
import { createMissPolicy } from './directory-trust.ts'
import type { LeadMatcherMetrics } from './metrics.ts'
import { type LedgerPort, once } from './once.ts'
import type { LeadMatcherOptions } from './options.ts'
import { createOwnerRouter } from './owner-routing.ts'
import { createPhoneCache, type PhoneCache } from './phone-cache.ts'
import { recoverOrCreate } from './recover.ts'
import { createPersonResolver } from './resolve-person.ts'

/** The ports the handler works through. */
export interface LeadMatcherPorts {
  /** The CRM port; never Zoho directly. */
  readonly crm: Pick<
    Crm,
    | 'findPersonByPhone'
    | 'createLead'
    | 'logCall'
    | 'addNote'
    | 'findCallActivity'
    | 'findNote'
    | 'findCreatedLead'
  >
  readonly ledger: LedgerPort
  /** Shared kv: cache, per-number locks, round-robin counter. */
  readonly kv: Kv
  /** Publishes a pipeline event (`publishEvent` on the bus). */
  readonly publish: (event: PipelineEvent) => Promise<void>
  readonly options: LeadMatcherOptions
  readonly metrics: LeadMatcherMetrics
  /** Default: the kv cache with `options.cacheTtlMs`. */
  readonly cache?: PhoneCache
  /** Clock, ms. Default Date.now. */
  readonly now?: () => number
}

/** `ce_source` of `calls.matched`. */
export const leadMatcherSource = '/callbridge/lead-matcher'
/** `ce_type` of `calls.matched`. */
export const callMatchedType = 'callbridge.call.matched'

/**
 * Creates the handler of `calls.completed`.
 * @example
 * ```ts
 * const handle = createLeadMatcherHandler({ crm, ledger, kv, publish, options, metrics })
 * const definition = { name: 'lead-matcher', topic: 'calls.completed', schema: CallCompleted, handle }
 * ```
 */
export const createLeadMatcherHandler = (ports: LeadMatcherPorts) => {
  const { crm, ledger, kv, publish, options, metrics, now = Date.now } = ports
  const cache = ports.cache ?? createPhoneCache({ kv, ttlMs: options.cacheTtlMs })
  const resolve = createPersonResolver({
    crm,
    ledger,
    kv,
    cache,
    routeOwner: createOwnerRouter(kv, options),
    options,
    now,
    onMiss: createMissPolicy({ kv, use: options.directory, now }),
    lookups: (source) => metrics.lookup?.(source),
  })

  return async (call: CallCompleted, { logger: base }: HandlerContext): Promise<void> => {
    const session = call.telephonySessionId
    const logger = base.child({ telephony_session_id: session })
    const e164 = call.external.phoneNumber
    if (e164 === null) {
      metrics.call('anonymous')
      logger.info(
        { direction: call.direction, result: call.result },
        'anonymous caller: nothing to match, call not logged in the CRM',
      )
      return
    }
    await ledger.recordCompleted(call)
    const { person, createdLead, source } = await resolve(call, e164, logger)
    await ledger.setCrmFacts(session, { personModule: person.module, personId: person.id })

    // The Calls record belongs to the agent of the extension when mapped, else the person's owner.
    const mapped = call.extensionId === null ? undefined : options.extensionOwners[call.extensionId]
    const ownerId = mapped ?? person.ownerId
    const marker = sessionMarkerOf(call)
    const activity = await once(ledger, session, 'call_activity', async (uncertain) => {
      const logIt = () => {
        const record = callActivityOf({ call, e164, person, ownerId, uncertain })
        return viaCrm('logging the call', () => crm.logCall(record))
      }
      if (!uncertain) return logIt()
      return recoverOrCreate({
        effect: 'call_activity',
        find: () => crm.findCallActivity(person, { startTime: call.startTime, marker }),
        create: logIt,
        logger,
        metrics,
      })
    })
    let noteId: string | null = null
    if (options.notes) {
      const note = await once(ledger, session, 'note', async (uncertain) => {
        const addIt = () => viaCrm('adding the note', () => crm.addNote(person, noteOf(call, e164)))
        if (!uncertain) return addIt()
        return recoverOrCreate({
          effect: 'note',
          find: () => crm.findNote(person, marker),
          create: addIt,
          logger,
          metrics,
        })
      })
      noteId = note.id
    }
    await ledger.setCrmFacts(session, { callId: activity.id, ...(noteId ? { noteId } : {}) })

    const matched = CallMatched.parse({
      call,
      person,
      createdLead,
      crmCallId: activity.id,
      crmNoteId: noteId,
    } satisfies CallMatched)
    await publish({
      topic: callTopics.callsMatched.name,
      key: session,
      id: `matched:${session}`,
      type: callMatchedType,
      source: leadMatcherSource,
      value: matched,
      time: new Date(now()),
    })
    metrics.call(source)
    logger.info(
      {
        person_module: person.module,
        person_id: person.id,
        source,
        created_lead: createdLead,
        crm_call_id: activity.id,
        redelivered: !activity.fresh,
      },
      'call matched and logged',
    )
  }
}
