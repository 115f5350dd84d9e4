/**
 * @module consumers/crm-sync/consumer
 * crm-sync as a consumer definition: `zoho.webhooks` in (`ZohoWebhookEvent`, keyed
 * `<module>:<id>`, so the events of one record come in order), the handler of handler.ts.
 */
import { topicNames } from '../../schemas/topics.ts'
import { ZohoWebhookEvent } from '../../schemas/webhook-event.ts'
import type { ConsumerDefinition, ConsumerPolicy } from '../runtime/index.ts'
import { type CrmSyncPorts, createCrmSyncHandler } from './handler.ts'

/** The role and consumer name; the consumer group is `callbridge.crm-sync`. */
export const crmSyncName = 'crm-sync'

/** Retry policy overrides (runtime defaults otherwise). */
export type CrmSyncPolicy = ConsumerPolicy

/**
 * The consumer definition.
 * @example
 * ```ts
 * await startConsumer({ bus, definition: crmSyncConsumer(ports), logger, metrics: registry })
 * ```
 */
export const crmSyncConsumer = (
  ports: CrmSyncPorts,
  policy: CrmSyncPolicy = {},
): ConsumerDefinition<ZohoWebhookEvent> => ({
  name: crmSyncName,
  topic: topicNames.zohoWebhooks,
  schema: ZohoWebhookEvent,
  handle: createCrmSyncHandler(ports),
  ...policy,
})
