/**
 * @module consumers/lead-matcher/consumer
 * The lead-matcher as a consumer definition: `calls.completed` in, the handler of handler.ts,
 * the runtime's retry and DLQ policy (overridable, e.g. by tests).
 */
import { CallCompleted, callTopics } from '../../schemas/calls.ts'
import type { ConsumerDefinition, ConsumerPolicy } from '../runtime/index.ts'
import { createLeadMatcherHandler, type LeadMatcherPorts } from './handler.ts'

/** The role and consumer name; the consumer group is `callbridge.lead-matcher`. */
export const leadMatcherName = 'lead-matcher'

/** Retry policy overrides (runtime defaults otherwise). */
export type LeadMatcherPolicy = ConsumerPolicy

/**
 * The consumer definition.
 * @example
 * ```ts
 * await startConsumer({ bus, definition: leadMatcherConsumer(ports), logger, metrics: registry })
 * ```
 */
export const leadMatcherConsumer = (
  ports: LeadMatcherPorts,
  policy: LeadMatcherPolicy = {},
): ConsumerDefinition<CallCompleted> => ({
  name: leadMatcherName,
  topic: callTopics.callsCompleted.name,
  schema: CallCompleted,
  handle: createLeadMatcherHandler(ports),
  ...policy,
})
