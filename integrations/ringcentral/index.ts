/**
 * @module integrations/ringcentral
 * The RingCentral client: shared token, shared rate budgets, typed and validated methods.
 * See README.md for how the token and the budgets are shared between replicas.
 */
export type { RateLimitGroup } from './budget.ts'
export { defaultBudgets, documentedLimits } from './budget.ts'
export type {
  CallLogBySessionOptions,
  CallLogRangeOptions,
  CallLogSyncOptions,
  CallLogSyncResult,
  CallLogView,
} from './call-log.ts'
export type { RingCentralClient, RingCentralClientOptions } from './client.ts'
export { createRingCentralClient } from './client.ts'
export {
  RingCentralApiError,
  RingCentralResponseError,
  RingCentralUnavailableError,
  SyncTokenExpiredError,
} from './errors.ts'
export type { RingCentralLogger } from './logger.ts'
export type { RecordingContent } from './recordings.ts'
export {
  CallLogLeg,
  CallLogParty,
  CallLogRecord,
  CallLogRecordingInfo,
  CallLogSyncResponse,
  Recording,
  SmsMessage,
  Subscription,
} from './schemas.ts'
export type { SendSmsInput } from './sms.ts'
export type { CreateSubscriptionInput, UpdateSubscriptionInput } from './subscriptions.ts'
