/**
 * @module consumers/lead-matcher/metrics
 * The lead-matcher's own instruments (the runtime already counts messages by outcome): calls by
 * how their person was found, and unconfirmed effects by how they were settled (found in Zoho,
 * created, or created without a check: a possible twin). Registered once per registry.
 */
import type { Registry } from 'prom-client'
import { counterOn } from '../../platform/metrics/reuse.ts'
import type { LookupSource, PersonSource } from './resolve-person.ts'

/** How an unconfirmed effect was settled. */
export type UncertainOutcome = 'found' | 'created' | 'unchecked'

/** What the handler reports. */
export interface LeadMatcherMetrics {
  /** A call handled: matched through `source`, or skipped as anonymous. */
  call(outcome: PersonSource | 'anonymous'): void
  /**
   * An effect whose earlier attempt was never confirmed, settled by `outcome`: `found` in Zoho
   * (confirmed, not redone), `created` (Zoho did not have it), `unchecked` (redone without a
   * check: Zoho may hold it twice).
   */
  uncertain(effect: 'call_activity' | 'note', outcome: UncertainOutcome): void
  /** A number looked up: a directory or cache entry, a Zoho search, or a trusted miss (no search). */
  lookup?(source: LookupSource): void
}

const counter = counterOn

/**
 * The instruments on `registry` (reused when already registered).
 * @example
 * ```ts
 * const metrics = leadMatcherMetrics(registry)
 * metrics.call('created')
 * ```
 */
export const leadMatcherMetrics = (registry: Registry): LeadMatcherMetrics => {
  const calls = counter(
    registry,
    'callbridge_lead_matcher_calls_total',
    'Completed calls by how the person was found: ledger (redelivery), directory (phone directory), cache, crm (search), created (new lead), anonymous (skipped).',
    ['outcome'],
  )
  const uncertain = counter(
    registry,
    'callbridge_lead_matcher_uncertain_effects_total',
    'Call activities or notes whose earlier attempt was never confirmed, by outcome: found in Zoho (confirmed), created (Zoho did not have it), unchecked (created without a check: Zoho may hold a twin).',
    ['effect', 'outcome'],
  )
  const lookups = counter(
    registry,
    'callbridge_lead_matcher_lookups_total',
    "Caller numbers looked up, by source: directory (crm-sync's phone directory), cache (found or created here before), search (Zoho searched), trusted_miss (not in a complete directory: lead created without a search).",
    ['source'],
  )
  return {
    lookup: (source) => lookups.inc({ source }),
    call: (outcome) => calls.inc({ outcome }),
    uncertain: (effect, outcome) => uncertain.inc({ effect, outcome }),
  }
}
