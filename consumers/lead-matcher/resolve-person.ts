/**
 * @module consumers/lead-matcher/resolve-person
 * Find-or-create of the person behind a number, exactly once per caller:
 *
 * 1. a redelivered call reuses the person the ledger recorded for its session;
 * 2. the kv entries (number → person): crm-sync's phone directory of the CRM, or what this
 *    consumer found or created before;
 * 3. under a kv lock on the number (all replicas): the entries again; then, for a number nobody
 *    has, either TRUST the miss (directory-trust.ts: a complete, fresh directory and the setting
 *    allow it) or search Zoho with `crm.findPersonByPhone` (Leads, then Contacts; the Zoho adapter
 *    also remembers the leads it created while Zoho's search index lags); still unknown: the lead
 *    (ledger effect `lead` of the session, owner routed, created, and cached BEFORE the lock is
 *    released, so the next call from that number finds it).
 *
 * A `pending` lead claim (the create had an unknown outcome, or the worker died) is settled by
 * `crm.findCreatedLead` (COQL: no index lag): the lead created for this session is confirmed, or,
 * when Zoho has none, created now. If Zoho cannot be asked for now, the claim stays pending and
 * the call is retried. Only when Zoho refuses that lookup outright (e.g. a token without the
 * COQL scope) does the older rule apply: the claim is trusted once older than
 * `pendingRecheckAfterMs` (Zoho's search index must have caught up) and checked by a search,
 * even after a trusted miss.
 */
import { CrmError, isRetryableCrmError } from '../../integrations/crm/errors.ts'
import type { Crm, CrmPerson } from '../../integrations/crm/port.ts'
import type { Kv } from '../../platform/kv/port.ts'
import type { Logger } from '../../platform/log/logger.ts'
import type { CallCompleted } from '../../schemas/calls.ts'
import { leadNameOf } from './caller-name.ts'
import { viaCrm } from './crm-errors.ts'
import type { MissPolicy } from './directory-trust.ts'
import { LockBusyError, withLock } from './kv-lock.ts'
import { type LedgerPort, once } from './once.ts'
import type { LeadMatcherOptions } from './options.ts'
import type { RoutedOwner } from './owner-routing.ts'
import type { CachedPerson, PhoneCache } from './phone-cache.ts'
import { UncheckedEffectError } from './recover.ts'

/** Where the person came from. */
export type PersonSource = 'ledger' | 'directory' | 'cache' | 'crm' | 'created'

/** How a number was looked up: an entry of the directory or the cache, a search, a trusted miss. */
export type LookupSource = 'directory' | 'cache' | 'search' | 'trusted_miss'

export interface PersonResolution {
  readonly person: CachedPerson
  /** True when a lead was created for this call (also on a redelivery of that call). */
  readonly createdLead: boolean
  readonly source: PersonSource
}

/** What the resolver works with. */
export interface ResolverDeps {
  readonly crm: Pick<Crm, 'findPersonByPhone' | 'createLead' | 'findCreatedLead'>
  readonly ledger: LedgerPort
  readonly kv: Kv
  readonly cache: PhoneCache
  readonly routeOwner: (extensionId: string | null) => Promise<RoutedOwner>
  readonly options: LeadMatcherOptions
  readonly now: () => number
  /** Whether a miss may be trusted (directory-trust.ts). Default: every miss is searched. */
  readonly onMiss?: MissPolicy
  /** Reports every lookup by source. */
  readonly lookups?: (source: LookupSource) => void
}

/** What a created lead's description names it by: `(RingCentral session <id>)`. */
export const leadMarkerOf = (session: string): string => `(RingCentral session ${session})`

/** A lead claim is pending but too young to trust a search: retried later. */
export class PendingLeadError extends Error {
  override readonly name = 'PendingLeadError'
}

/** A pending lead claim after a trusted miss: search before creating the lead again. */
class SearchFirst extends Error {
  override readonly name = 'SearchFirst'
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
  const onMiss: MissPolicy = deps.onMiss ?? (async () => ({ trust: false, reason: 'setting' }))
  const lookups = deps.lookups ?? (() => undefined)

  /** Whether this session's ledger says it created lead `id` (a claim made just to ask is given back). */
  const createdBySession = async (session: string, id: string): Promise<boolean> => {
    const claim = await ledger.claim(session, 'lead')
    if (claim.status === 'claimed') await ledger.release(session, 'lead')
    return claim.status === 'done' && claim.externalId === id
  }

  /**
   * The lead an unconfirmed claim of `session` created, if Zoho has it: the person, null (Zoho has
   * none), or 'unchecked' (Zoho refused the lookup itself). Throws {@link UncheckedEffectError}
   * when Zoho cannot be asked for now, which keeps the claim pending for the retry.
   */
  const unconfirmedLead = async (
    e164: string,
    session: string,
    logger: Logger,
  ): Promise<CrmPerson | null | 'unchecked'> => {
    try {
      return await crm.findCreatedLead({ phone: e164, marker: leadMarkerOf(session) })
    } catch (error) {
      if (!(error instanceof CrmError) || isRetryableCrmError(error)) {
        const reason = error instanceof Error ? error.message : String(error)
        throw new UncheckedEffectError(
          `lead claim of ${session} is unconfirmed and Zoho could not be checked: ${reason}`,
          { cause: error },
        )
      }
      logger.warn({ err: error }, 'Zoho refused the lookup of an unconfirmed lead: using search')
      return 'unchecked'
    }
  }

  const createLead = async (
    call: CallCompleted,
    e164: string,
    held: { stillHeld(): Promise<boolean> },
    logger: Logger,
    searched: boolean,
  ): Promise<CachedPerson> => {
    const session = call.telephonySessionId
    let created: CachedPerson | undefined
    const result = await once(ledger, session, 'lead', async (uncertain, claimedAt) => {
      const found = uncertain ? await unconfirmedLead(e164, session, logger) : null
      if (found && found !== 'unchecked') {
        logger.info(
          { lead_id: found.id },
          'unconfirmed lead found in Zoho: confirmed, not created again',
        )
        created = cachedPersonOf(found)
        return found
      }
      if (uncertain && found === null) {
        logger.warn('lead claim was never confirmed and Zoho has no lead for it: creating the lead')
      }
      if (found === 'unchecked') {
        const ageMs = now() - (claimedAt?.getTime() ?? 0)
        if (ageMs < options.pendingRecheckAfterMs) {
          throw new PendingLeadError(
            `a lead for ${session} may have been created ${ageMs} ms ago; re-checking once Zoho's search has caught up`,
          )
        }
        if (!searched) throw new SearchFirst(`a lead for ${session} may exist: searching first`)
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
          description: `Created by callbridge for an ${call.direction.toLowerCase()} call on ${call.startTime} ${leadMarkerOf(session)}.`,
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
    const hit = await cache.lookup(e164)
    if (hit) {
      lookups(hit.origin)
      return { person: hit.person, createdLead: false, source: hit.origin }
    }

    const lockOptions = { ttlMs: options.lockTtlMs, waitMs: options.lockWaitMs }
    return withLock(kv, `lead-matcher:lock:${e164}`, lockOptions, async (held) => {
      const cached = await cache.lookup(e164)
      if (cached) {
        lookups(cached.origin)
        return { person: cached.person, createdLead: false, source: cached.origin }
      }
      const verdict = await onMiss(e164)
      const search = async (): Promise<PersonResolution | null> => {
        lookups('search')
        const found = await viaCrm('searching the caller', () => crm.findPersonByPhone(e164))
        if (!found) return null
        const person = cachedPersonOf(found)
        await cache.remember(e164, person)
        return { person, createdLead: false, source: 'crm' }
      }
      const create = async (searched: boolean): Promise<PersonResolution> => {
        const person = await createLead(call, e164, held, logger, searched)
        // Kept as long as directory entries: a trusted miss must keep finding this lead.
        const ttlMs = Math.max(options.cacheTtlMs, verdict.entryTtlMs ?? 0)
        await cache.remember(e164, person, { ttlMs })
        return { person, createdLead: true, source: 'created' }
      }
      if (!verdict.trust) return (await search()) ?? create(true)
      lookups('trusted_miss')
      logger.debug('number not in the phone directory: a new caller, not searched')
      try {
        return await create(false)
      } catch (error) {
        if (!(error instanceof SearchFirst)) throw error
        return (await search()) ?? create(true)
      }
    })
  }
}
