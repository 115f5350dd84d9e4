/**
 * @module consumers/lead-matcher
 * `calls.completed` → the caller matched to (or created as) a Zoho lead or contact, the call
 * logged in the Calls module, `calls.matched`. See README.md.
 */
export { callActivityOf, callTypeOf, subjectOf } from './activity.ts'
export type { LeadName } from './caller-name.ts'
export { leadNameOf } from './caller-name.ts'
export type { LeadMatcherPolicy } from './consumer.ts'
export { leadMatcherConsumer, leadMatcherName } from './consumer.ts'
export type { LeadMatcherPorts } from './handler.ts'
export { callMatchedType, createLeadMatcherHandler, leadMatcherSource } from './handler.ts'
export type { LeadMatcherMetrics } from './metrics.ts'
export { leadMatcherMetrics } from './metrics.ts'
export type { LeadMatcherOptions } from './options.ts'
export { leadMatcherDefaults, resolveLeadMatcherOptions } from './options.ts'
export type { OwnerRule, RoutedOwner } from './owner-routing.ts'
export { createOwnerRouter } from './owner-routing.ts'
export type { PhoneCache, PhoneCacheOptions } from './phone-cache.ts'
export { CachedPerson, createPhoneCache } from './phone-cache.ts'
export { leadMatcherOptionsFromConfig, leadMatcherRole } from './role.ts'
