/**
 * @module consumers/lead-matcher/options
 * What the lead-matcher can be told: lead source, owner routing, cache lifetime, notes, the use
 * of crm-sync's phone directory, and the timings of its per-number lock. Plain typed options; the
 * role derives them from the config.
 */
import type { DirectoryUse } from './directory-trust.ts'

/** Options of the lead-matcher (see {@link resolveLeadMatcherOptions} for the defaults). */
export interface LeadMatcherOptions {
  /** `Lead_Source` of leads created for unknown callers, e.g. `RingCentral`. */
  readonly leadSource?: string
  /** `Company` of created leads; set it when the Leads layout makes Company mandatory. */
  readonly leadCompany?: string
  /** Extension id → Zoho user id: the owner of a lead created for a call that extension took. */
  readonly extensionOwners: Readonly<Record<string, string>>
  /** Owner of created leads when the extension is not mapped. */
  readonly defaultOwnerId?: string
  /** Owners taken in turn (shared counter in the kv) when neither of the above applies. */
  readonly roundRobinOwnerIds: readonly string[]
  /** How long a number → person match is cached. Default 1 h. */
  readonly cacheTtlMs: number
  /**
   * crm-sync's phone directory (LEAD_MATCH_DIRECTORY): `trust` a miss while the directory is
   * complete and fresh (no search), `search-on-miss`, or `off`. Default `trust`: without a
   * complete directory it searches anyway.
   */
  readonly directory: DirectoryUse
  /** Also add a note to the person for every call. Default false. */
  readonly notes: boolean
  /** Expiry of the per-number lock (renewed while held): how long a crashed worker blocks a number. Default 30 s. */
  readonly lockTtlMs: number
  /** How long a call waits for another worker's lock on its number before retrying later. Default 15 s. */
  readonly lockWaitMs: number
  /**
   * A lead claim left pending (the create failed with an unknown outcome, or the worker died) is
   * re-checked by a search only once it is this old, so Zoho's search index has caught up with a
   * lead that may have been created. Younger: the event is retried later. Default 30 s.
   */
  readonly pendingRecheckAfterMs: number
}

/** The defaults of every option that has one. */
export const leadMatcherDefaults = {
  cacheTtlMs: 60 * 60 * 1000,
  directory: 'trust',
  notes: false,
  lockTtlMs: 30_000,
  lockWaitMs: 15_000,
  pendingRecheckAfterMs: 30_000,
} as const

/**
 * Applies the defaults and checks the values once.
 * @throws RangeError naming the option when a value makes no sense.
 * @example
 * ```ts
 * const options = resolveLeadMatcherOptions({ leadSource: 'RingCentral', defaultOwnerId: '4876876000000225013' })
 * ```
 */
export const resolveLeadMatcherOptions = (
  options: Partial<LeadMatcherOptions> = {},
): LeadMatcherOptions => {
  const resolved: LeadMatcherOptions = {
    ...leadMatcherDefaults,
    extensionOwners: {},
    roundRobinOwnerIds: [],
    ...options,
  }
  for (const name of ['cacheTtlMs', 'lockTtlMs', 'lockWaitMs'] as const) {
    if (!(Number.isInteger(resolved[name]) && resolved[name] > 0)) {
      throw new RangeError(`lead-matcher ${name} must be a positive integer, got ${resolved[name]}`)
    }
  }
  if (!(resolved.pendingRecheckAfterMs >= 0)) {
    throw new RangeError('lead-matcher pendingRecheckAfterMs must be zero or more')
  }
  return resolved
}
