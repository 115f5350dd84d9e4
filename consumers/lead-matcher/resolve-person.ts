/**
 * @module consumers/lead-matcher/resolve-person
 * Find-or-create of the person behind a number, exactly once per caller:
 *
 * 1. a redelivered call reuses the person the ledger recorded for its session;
 * 2. the kv cache (number → person);
 * 3. under a kv lock on the number (all replicas): the cache again, then `crm.findPersonByPhone`
 *    (Leads, then Contacts; the Zoho adapter also remembers the leads it created while Zoho's
 *    search index lags), then, still unknown, the lead: ledger effect `lead` of the session,
 *    owner routed, created, and cached BEFORE the lock is released, so the next call from that
 *    number (a concurrent one waiting on the lock, or one right after) finds it.
 *
 * A `pending` lead claim (the create had an unknown outcome, or the worker died) is recovered by
 * the search of step 3, which runs after the claim: it is only trusted once the claim is older
 * than `pendingRecheckAfterMs` (Zoho's index must have caught up); until then the call is retried.
 */
import type { Crm, CrmPerson } from '../../integrations/crm/port.ts'
import type { Kv } from '../../platform/kv/port.ts'
import type { Logger } from '../../platform/log/logger.ts'
import type { CallCompleted } from '../../schemas/calls.ts'
import { leadNameOf } from './caller-name.ts'
import { viaCrm } from './crm-errors.ts'
import { LockBusyError, withLock } from './kv-lock.ts'
import { type LedgerPort, once } from './once.ts'
import type { LeadMatcherOptions } from './options.ts'
import type { RoutedOwner } from './owner-routing.ts'
import type { CachedPerson, PhoneCache } from './phone-cache.ts'

/** Where the person came from. */
export type PersonSource = 'ledger' | 'cache' | 'crm' | 'created'

export interface PersonResolution {
  readonly person: CachedPerson
  /** True when a lead was created for this call (also on a redelivery of that call). */
  readonly createdLead: boolean
  readonly source: PersonSource
}

/** What the resolver works with. */
export interface ResolverDeps {
  readonly crm: Pick<Crm, 'findPersonByPhone' | 'createLead'>
  readonly ledger: LedgerPort
  readonly kv: Kv
  readonly cache: PhoneCache
  readonly routeOwner: (extensionId: string | null) => Promise<RoutedOwner>
  readonly options: LeadMatcherOptions
  readonly now: () => number
}

/** A lead claim is pending but too young to trust a search: retried later. */
export class PendingLeadError extends Error {
  override readonly name = 'PendingLeadError'
}

/** The cacheable part of a CRM person. */
export const cachedPersonOf = (person: CrmPerson): CachedPerson => ({
  module: person.module,
  id: person.id,
  ...(person.ownerId ? { ownerId: person.ownerId } : {}),
  ...(person.name ? { name: person.name } : {}),
})

/**
 * Creates the resolver.
 * @example
 * ```ts
 * const resolve = createPersonResolver({ crm, ledger, kv, cache, routeOwner, options, now: Date.now })
 * const { person, createdLead } = await resolve(call, '+14155550100', logger)
 * ```
 */
export const createPersonResolver = (deps: ResolverDeps) => {
  const { crm, ledger, kv, cache, routeOwner, options, now } = deps

  /** Whether this session's ledger says it created lead `id` (a claim made just to ask is given back). */
  const createdBySession = async (session: string, id: string): Promise<boolean> => {
    const claim = await ledger.claim(session, 'lead')
    if (claim.status === 'claimed') await ledger.release(session, 'lead')
    return claim.status === 'done' && claim.externalId === id
  }

  const createLead = async (
    call: CallCompleted,
    e164: string,
    held: { stillHeld(): Promise<boolean> },
    logger: Logger,
  ): Promise<CachedPerson> => {
    const session = call.telephonySessionId
    let created: CachedPerson | undefined
    const result = await once(ledger, session, 'lead', async (uncertain, claimedAt) => {
      if (uncertain) {
        const ageMs = now() - (claimedAt?.getTime() ?? 0)
        if (ageMs < options.pendingRecheckAfterMs) {
          throw new PendingLeadError(
            `a lead for ${session} may have been created ${ageMs} ms ago; re-checking once Zoho's search has caught up`,
          )
        }
        logger.warn(
          { claim_age_ms: ageMs },
          'lead claim was never confirmed and Zoho search finds no one: creating the lead again',
        )
      }
      if (!(await held.stillHeld())) throw new LockBusyError(`lost the lock on ${e164}`)
      const owner = await routeOwner(call.extensionId)
      const lead = await viaCrm('creating the lead', () =>
        crm.createLead({
          ...leadNameOf(call.external.name, e164),
          phone: e164,
          ...(options.leadSource ? { leadSource: options.leadSource } : {}),
          ...(options.leadCompany ? { company: options.leadCompany } : {}),
          ...(owner.ownerId ? { ownerId: owner.ownerId } : {}),
          description: `Created by callbridge for an ${call.direction.toLowerCase()} call on ${call.startTime} (RingCentral session ${session}).`,
        }),
      )
      created = cachedPersonOf(lead)
      logger.info(
        { lead_id: lead.id, owner_id: owner.ownerId, owner_rule: owner.rule },
        'lead created',
      )
      return lead
    })
    // Done by an earlier delivery whose lead neither the cache nor the search can see yet.
    return created ?? { module: 'Leads', id: result.id }
  }

  return async (call: CallCompleted, e164: string, logger: Logger): Promise<PersonResolution> => {
    const session = call.telephonySessionId
    const row = await ledger.call(session)
    const module = row?.crmPersonModule
    if (row?.crmPersonId && (module === 'Leads' || module === 'Contacts')) {
      const cached = await cache.get(e164)
      const person: CachedPerson =
        cached?.id === row.crmPersonId ? cached : { module, id: row.crmPersonId }
      const createdLead = await createdBySession(session, row.crmPersonId)
      return { person, createdLead, source: 'ledger' }
    }
    const hit = await cache.get(e164)
    if (hit) return { person: hit, createdLead: false, source: 'cache' }

    const lockOptions = { ttlMs: options.lockTtlMs, waitMs: options.lockWaitMs }
    return withLock(kv, `lead-matcher:lock:${e164}`, lockOptions, async (held) => {
      const cached = await cache.get(e164)
      if (cached) return { person: cached, createdLead: false, source: 'cache' }
      const found = await viaCrm('searching the caller', () => crm.findPersonByPhone(e164))
      if (found) {
        const person = cachedPersonOf(found)
        await cache.remember(e164, person)
        return { person, createdLead: false, source: 'crm' }
      }
      const person = await createLead(call, e164, held, logger)
      await cache.remember(e164, person)
      return { person, createdLead: true, source: 'created' }
    })
  }
}
