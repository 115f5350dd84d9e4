/**
 * @module consumers/call-tracker
 * Turns RingCentral telephony-session events into exactly one `calls.completed` per call, with the
 * call-log facts; a reconciler and a backfill publish the calls whose webhooks never came. See
 * README.md.
 */
export type { BackfillOptions, BackfillProgress } from './backfill.ts'
export { backfill } from './backfill.ts'
export type { CallFactsInput, CallFactsResult, CompletionSource } from './call-facts.ts'
export { callFacts, phoneRegion, toE164 } from './call-facts.ts'
export type { CompleteCallOptions, Completion, CompletionLedger } from './complete.ts'
export { completeCall, completedEvent, completedEventId, publishCompleted } from './complete.ts'
export { CallState, callEnded, emptyCallState, foldEvent, foldEvents, PartyState } from './fold.ts'
export type { CallTrackerConsumerOptions, CallTrackerPorts } from './handler.ts'
export {
  CallLogNotReadyError,
  CompletionBusyError,
  callTrackerBackoff,
  callTrackerConsumer,
  callTrackerJitter,
  createCallTrackerHandler,
  RecordingNotReadyError,
} from './handler.ts'
export type { ReconcileResult, ReconcilerOptions, StartReconcilerOptions } from './reconciler.ts'
export { defaultReconcileIntervalS, reconcileOnce, startReconciler } from './reconciler.ts'
export type { CallTrackerRoleOptions } from './role.ts'
export { callTrackerRole, createCallTrackerRole, reconcileIntervalS } from './role.ts'
export type { SessionStore, SessionStoreOptions } from './state-store.ts'
export { createSessionStore, SessionBusyError, SessionRecord } from './state-store.ts'
