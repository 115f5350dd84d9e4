/**
 * @module consumers/lead-matcher/role
 * The `lead-matcher` role: builds the Zoho client from the configuration (shared token and
 * budgets through the kv), the CRM port, the ledger on the process's db, and runs the consumer on
 * `calls.completed`, publishing `calls.matched`.
 */
import { zohoFromConfig } from '../../integrations/from-config.ts'
import { createZohoCrm } from '../../integrations/zoho/index.ts'
import type { Config } from '../../platform/config/vars.ts'
import type { Role } from '../../platform/runtime/role.ts'
import { callTopics } from '../../schemas/calls.ts'
import { createLedger } from '../ledger/ledger.ts'
import { startConsumer } from '../runtime/index.ts'
import { publishEvent } from '../shared/publish.ts'
import { leadMatcherConsumer, leadMatcherName } from './consumer.ts'
import { leadMatcherMetrics } from './metrics.ts'
import { type LeadMatcherOptions, resolveLeadMatcherOptions } from './options.ts'

/** The lead-matcher's options from the configuration (the "Lead matching" variables). */
export const leadMatcherOptionsFromConfig = (config: Config): LeadMatcherOptions =>
  resolveLeadMatcherOptions({
    leadSource: config.LEAD_SOURCE,
    leadCompany: config.LEAD_COMPANY,
    extensionOwners: config.EXT_OWNER_MAP ?? {},
    ...(config.LEAD_DEFAULT_OWNER_ID ? { defaultOwnerId: config.LEAD_DEFAULT_OWNER_ID } : {}),
    roundRobinOwnerIds: config.LEAD_ROUND_ROBIN_OWNER_IDS ?? [],
    cacheTtlMs: config.PHONE_CACHE_TTL_S * 1000,
    directory: config.LEAD_MATCH_DIRECTORY,
    notes: config.CALL_NOTES,
  })

/**
 * The `lead-matcher` role.
 * @example
 * ```ts
 * await runRoles({ roles: [leadMatcherRole], config, logger, version })
 * ```
 */
export const leadMatcherRole: Role = {
  name: leadMatcherName,
  summary:
    'matches each completed call to a Zoho lead or contact (creating a lead for unknown callers), logs it in the Calls module and publishes calls.matched',
  requires: ['ZOHO_CLIENT_ID', 'ZOHO_CLIENT_SECRET', 'ZOHO_REFRESH_TOKEN'],
  start: async ({ config, logger, bus, kv, db, health, metrics: registry }) => {
    const zoho = zohoFromConfig(config, kv, logger)
    if (!zoho) {
      throw new Error(
        'lead-matcher needs ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET and ZOHO_REFRESH_TOKEN',
      )
    }
    const options = leadMatcherOptionsFromConfig(config)
    const crm = createZohoCrm(zoho)
    health.add(crm.health, { readiness: false })
    health.add({ name: leadMatcherName, check: () => bus.health.check() })
    await bus.ensureTopics([{ name: callTopics.callsMatched.name }])
    const consumer = await startConsumer({
      bus,
      definition: leadMatcherConsumer(
        {
          crm,
          ledger: createLedger(db),
          kv,
          publish: (event) => publishEvent(bus, event),
          options,
          metrics: leadMatcherMetrics(registry),
        },
        {
          // Each handler makes one Zoho call at a time: twice the org's concurrency keeps every
          // Zoho slot busy from a single replica (bench:pipeline: 1.41x the floor at the default 8).
          keyConcurrency: 2 * config.ZOHO_CONCURRENCY_LIMIT,
          // A lead claim left pending by a crash is re-checked only once it is 30 s old; the
          // retries must outlast that, or the call lands in the DLQ (found by the e2e tests).
          backoff: { baseMs: 5_000, maxMs: 120_000 },
          maxAttempts: 10,
        },
      ),
      logger,
      metrics: registry,
    })
    return { stop: () => consumer.stop() }
  },
}
