/**
 * @module simulators/ringcentral
 * A RingCentral API simulator: OAuth (JWT, refresh, sessions), webhook subscriptions with the
 * validation handshake, telephony-session and voicemail notifications, call log and call-log sync,
 * recordings on a media host, SMS, rate limits and faults. See README.md.
 */
export { createRingCentralSimulator } from './app.ts'
export { CallSpecSchema, FaultsSchema } from './control.ts'
export { type StartedRingCentralSimulator, startRingCentralSimulator } from './start.ts'
export { defaultExtensions } from './state.ts'
export type {
  CallFaults,
  CallLogView,
  CallSpec,
  DeliveryAttempt,
  Faults,
  RateLimitGroup,
  RateLimitOptions,
  RingCentralSimulator,
  RingCentralSimulatorOptions,
  RingCentralSimulatorState,
  SentSms,
  SessionView,
  SimCall,
  SimExtension,
  SimStats,
  SubscriptionView,
} from './types.ts'
