/**
 * @module consumers/lead-matcher/metrics
 * The lead-matcher's own instruments (the runtime already counts messages by outcome): calls by
 * how their person was found, and effects redone after an unconfirmed attempt (possible twins in
 * Zoho). Registered once per registry.
 */
import { Counter, type Registry } from 'prom-client'
import type { PersonSource } from './resolve-person.ts'

/** What the handler reports. */
export interface LeadMatcherMetrics {
  /** A call handled: matched through `source`, or skipped as anonymous. */
  call(outcome: PersonSource | 'anonymous'): void
  /** An effect redone after an unconfirmed attempt: Zoho may now hold it twice. */
  uncertain(effect: 'call_activity' | 'note'): void
}

const counter = (registry: Registry, name: string, help: string, label: string) => {
  const existing = registry.getSingleMetric(name)
  if (existing instanceof Counter) return existing
  return new Counter({ name, help, labelNames: [label], registers: [registry] })
}

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
    'Completed calls by how the person was found: ledger (redelivery), cache, crm (search), created (new lead), anonymous (skipped).',
    'outcome',
  )
  const uncertain = counter(
    registry,
    'callbridge_lead_matcher_uncertain_effects_total',
    'Call activities or notes logged again after an attempt whose outcome was never confirmed (Zoho may hold a twin).',
    'effect',
  )
  return {
    call: (outcome) => calls.inc({ outcome }),
    uncertain: (effect) => uncertain.inc({ effect }),
  }
}
