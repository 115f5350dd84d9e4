/**
 * @module integrations/ringcentral/schemas
 * The RingCentral response bodies the client relies on, parsed at this trust boundary. Objects are
 * loose: fields RingCentral adds later (or that we do not use) are kept, so callers can still read
 * them. Only what the client and its callers depend on is required. Ids are strings in RingCentral's
 * spec; numbers are accepted and turned into strings, since older endpoints sent them unquoted.
 * Absent fields use `exactOptional` (JSON has no `undefined`), so the inferred types read
 * `field?: T` and fit callers' interfaces under `exactOptionalPropertyTypes`.
 */
import { z } from 'zod'

const Id = z.union([z.string().min(1), z.number()]).transform(String)

/** OAuth token endpoint answer (JWT and refresh_token grants). */
export const TokenResponse = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().exactOptional(),
  /** Seconds. Real answers use numbers; strings are coerced. */
  expires_in: z.coerce.number().positive(),
  refresh_token: z.string().min(1).exactOptional(),
  refresh_token_expires_in: z.coerce.number().positive().exactOptional(),
  scope: z.string().exactOptional(),
  owner_id: z.string().exactOptional(),
  endpoint_id: z.string().exactOptional(),
  session_id: z.string().exactOptional(),
})
export type TokenResponse = z.infer<typeof TokenResponse>

/**
 * The token as shared between replicas in the kv store. Times are absolute epoch ms on the clock of
 * the replica that obtained it.
 *
 * @example
 * ```ts
 * StoredToken.parse({ accessToken: 'U1BC…', tokenType: 'bearer', expiresAt: 1_767_000_000_000,
 *   lifetimeMs: 3_600_000, obtainedAt: 1_766_996_400_000, grant: 'jwt' })
 * ```
 */
export const StoredToken = z.object({
  accessToken: z.string().min(1),
  tokenType: z.string(),
  expiresAt: z.number(),
  /** The access token's lifetime when issued (`expires_in`), to scale refresh margins. */
  lifetimeMs: z.number().positive(),
  refreshToken: z.string().exactOptional(),
  refreshExpiresAt: z.number().exactOptional(),
  obtainedAt: z.number(),
  /** How it was obtained; `jwt` means a new RingCentral session was opened. */
  grant: z.enum(['jwt', 'refresh_token']),
  ownerId: z.string().exactOptional(),
  sessionId: z.string().exactOptional(),
})
export type StoredToken = z.infer<typeof StoredToken>

/** RingCentral error body: `errors[]` plus the legacy top-level copy, or an OAuth error. */
export const ApiErrorBody = z.looseObject({
  errorCode: z.string().exactOptional(),
  message: z.string().exactOptional(),
  parameterName: z.string().exactOptional(),
  errors: z
    .array(
      z.looseObject({
        errorCode: z.string().exactOptional(),
        message: z.string().exactOptional(),
        parameterName: z.string().exactOptional(),
      }),
    )
    .exactOptional(),
  error: z.string().exactOptional(),
  error_description: z.string().exactOptional(),
})
export type ApiErrorBody = z.infer<typeof ApiErrorBody>

/** A caller or callee in a call-log record or leg. */
export const CallLogParty = z.looseObject({
  phoneNumber: z.string().exactOptional(),
  extensionNumber: z.string().exactOptional(),
  extensionId: z.string().exactOptional(),
  name: z.string().exactOptional(),
  location: z.string().exactOptional(),
})
export type CallLogParty = z.infer<typeof CallLogParty>

/** `recording` of a call-log record; `contentUri` lies on the media host and needs the token. */
export const CallLogRecordingInfo = z.looseObject({
  id: Id,
  uri: z.string().exactOptional(),
  type: z.string().exactOptional(),
  contentUri: z.string().min(1),
})
export type CallLogRecordingInfo = z.infer<typeof CallLogRecordingInfo>

const callLogFields = {
  id: Id,
  uri: z.string().exactOptional(),
  sessionId: z.string().exactOptional(),
  telephonySessionId: z.string().exactOptional(),
  partyId: z.string().exactOptional(),
  startTime: z.string().min(1),
  /** Seconds. */
  duration: z.number().exactOptional(),
  durationMs: z.number().exactOptional(),
  type: z.string().exactOptional(),
  direction: z.enum(['Inbound', 'Outbound']),
  action: z.string().exactOptional(),
  /** `Accepted`, `Call connected`, `Missed`, `Voicemail`, … (46 values; kept as a string). */
  result: z.string().exactOptional(),
  reason: z.string().exactOptional(),
  from: CallLogParty.exactOptional(),
  to: CallLogParty.exactOptional(),
  recording: CallLogRecordingInfo.exactOptional(),
  extension: z
    .looseObject({ id: Id.exactOptional(), uri: z.string().exactOptional() })
    .exactOptional(),
  lastModifiedTime: z.string().exactOptional(),
  deleted: z.boolean().exactOptional(),
}

/** One leg of a Detailed call-log record. */
export const CallLogLeg = z.looseObject({
  ...callLogFields,
  id: Id.exactOptional(),
  legType: z.string().exactOptional(),
})
export type CallLogLeg = z.infer<typeof CallLogLeg>

/** A call-log record (company or user call log, Simple or Detailed view). */
export const CallLogRecord = z.looseObject({
  ...callLogFields,
  legs: z.array(CallLogLeg).exactOptional(),
})
export type CallLogRecord = z.infer<typeof CallLogRecord>

/** One page of a call-log list; page on by `navigation.nextPage` presence. */
export const CallLogPage = z.looseObject({
  records: z.array(CallLogRecord),
  navigation: z
    .looseObject({ nextPage: z.looseObject({ uri: z.string().min(1) }).exactOptional() })
    .exactOptional(),
  paging: z.looseObject({}).exactOptional(),
})
export type CallLogPage = z.infer<typeof CallLogPage>

/** Answer of `GET /account/~/call-log-sync`. */
export const CallLogSyncResponse = z.looseObject({
  records: z.array(CallLogRecord),
  syncInfo: z.looseObject({
    syncType: z.enum(['FSync', 'ISync']),
    syncToken: z.string().min(1),
    syncTime: z.string().exactOptional(),
  }),
})
export type CallLogSyncResponse = z.infer<typeof CallLogSyncResponse>

/** Metadata of a call recording. */
export const Recording = z.looseObject({
  id: Id,
  contentUri: z.string().min(1),
  /** `audio/mpeg` or `audio/wav`. */
  contentType: z.string().exactOptional(),
  /** Seconds. */
  duration: z.number().exactOptional(),
})
export type Recording = z.infer<typeof Recording>

/** A webhook subscription. Any `status` other than `Active` means: delete and recreate. */
export const Subscription = z.looseObject({
  id: z.string().min(1),
  uri: z.string().exactOptional(),
  eventFilters: z.array(z.string()),
  status: z.string(),
  expirationTime: z.string().exactOptional(),
  /** Seconds remaining. */
  expiresIn: z.number().exactOptional(),
  creationTime: z.string().exactOptional(),
  /** Always sent; the subscription keeper compares `address` to find its own subscription. */
  deliveryMode: z.looseObject({
    transportType: z.string().exactOptional(),
    address: z.string().exactOptional(),
    encryption: z.boolean().exactOptional(),
  }),
  disabledFilters: z.array(z.looseObject({})).exactOptional(),
  blacklistedData: z
    .looseObject({ blacklistedAt: z.string().exactOptional(), reason: z.string().exactOptional() })
    .exactOptional(),
})
export type Subscription = z.infer<typeof Subscription>

/** Answer of `GET /subscription`. */
export const SubscriptionList = z.looseObject({ records: z.array(Subscription) })
export type SubscriptionList = z.infer<typeof SubscriptionList>

/** Answer of `POST /account/~/extension/~/sms`: the created outbound message. */
export const SmsMessage = z.looseObject({
  id: Id,
  uri: z.string().exactOptional(),
  messageStatus: z.string().exactOptional(),
  direction: z.string().exactOptional(),
  type: z.string().exactOptional(),
})
export type SmsMessage = z.infer<typeof SmsMessage>
