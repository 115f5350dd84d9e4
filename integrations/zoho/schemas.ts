/**
 * @module integrations/zoho/schemas
 * The parts of Zoho's response bodies the client relies on, parsed at this trust boundary.
 * Every object is loose (unknown keys pass through) and only the keys we read are declared, so
 * Zoho adding fields never breaks us while a missing id or token does, loudly.
 */
import { z } from 'zod'

/** Accounts `POST /oauth/v2/token` success (refresh-token grant). */
export const TokenResponse = z.looseObject({
  access_token: z.string().min(1),
  /** Seconds. */
  expires_in: z.number().positive(),
  /** The data centre's API base for this org, e.g. https://www.zohoapis.eu. */
  api_domain: z.url(),
  token_type: z.string().optional(),
})
export type TokenResponse = z.infer<typeof TokenResponse>

/** Accounts error body, e.g. `{"error":"invalid_code"}` (often with HTTP 200). */
export const TokenErrorResponse = z.looseObject({
  error: z.string(),
  error_description: z.string().optional(),
})
export type TokenErrorResponse = z.infer<typeof TokenErrorResponse>

/** Zoho's error envelope, top-level or per record. */
export const ErrorEnvelope = z.looseObject({
  code: z.string(),
  message: z.string().optional(),
  status: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
})
export type ErrorEnvelope = z.infer<typeof ErrorEnvelope>

/** The per-item lists an error answer may carry (`data[]` of writes, `watch[]` of channels). */
export const ItemLists = z.looseObject({
  data: z.array(z.unknown()).optional(),
  watch: z.array(z.unknown()).optional(),
})
export type ItemLists = z.infer<typeof ItemLists>

const Lookup = z.looseObject({ id: z.string(), name: z.string().optional() })

/** A Lead or Contact as returned by search; phone fields are free text. */
export const PersonRecord = z.looseObject({
  id: z.string(),
  Owner: Lookup.nullish(),
  Full_Name: z.string().nullish(),
  First_Name: z.string().nullish(),
  Last_Name: z.string().nullish(),
  Created_Time: z.string().nullish(),
})
export type PersonRecord = z.infer<typeof PersonRecord>

/** `GET /{module}/search` (200; 204 means no match). */
export const RecordsResponse = z.looseObject({
  data: z.array(PersonRecord),
  info: z.looseObject({ more_records: z.boolean().optional() }).optional(),
})
export type RecordsResponse = z.infer<typeof RecordsResponse>

/** One entry of a write response's `data[]` (or `watch[]`): success or a per-record error. */
export const WriteResult = z.looseObject({
  code: z.string(),
  status: z.string(),
  message: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
})
export type WriteResult = z.infer<typeof WriteResult>

/** `POST/PUT /{module}`, `POST /Notes`, `POST /{module}/{id}/Attachments`. */
export const WriteResponse = z.looseObject({ data: z.array(WriteResult).min(1) })
export type WriteResponse = z.infer<typeof WriteResponse>

/** A user from `GET /users`. */
export const ZohoUser = z.looseObject({
  id: z.string(),
  full_name: z.string().nullish(),
  email: z.string().nullish(),
  status: z.string().nullish(),
})
export type ZohoUser = z.infer<typeof ZohoUser>

/** `GET /users?type=...` (200; 204 means none). */
export const UsersResponse = z.looseObject({
  users: z.array(ZohoUser),
  info: z.looseObject({ more_records: z.boolean().optional() }).optional(),
})
export type UsersResponse = z.infer<typeof UsersResponse>

/** One subscribed event in a watch answer. */
export const WatchEvent = z.looseObject({
  channel_id: z.union([z.string(), z.number()]).transform(String),
  channel_expiry: z.string().optional(),
  resource_name: z.string().optional(),
})
export type WatchEvent = z.infer<typeof WatchEvent>

/** `POST/PATCH/DELETE /actions/watch`: one result per channel. */
export const WatchWriteResponse = z.looseObject({ watch: z.array(WriteResult).min(1) })
export type WatchWriteResponse = z.infer<typeof WatchWriteResponse>

/** A channel from `GET /actions/watch`. */
export const WatchChannelDetails = z.looseObject({
  channel_id: z.union([z.string(), z.number()]).transform(String),
  events: z.array(z.string()).optional(),
  channel_expiry: z.string().optional(),
  notify_url: z.string().optional(),
})
export type WatchChannelDetails = z.infer<typeof WatchChannelDetails>

/** `GET /actions/watch` (200; 204 means none). */
export const WatchListResponse = z.looseObject({
  watch: z.array(WatchChannelDetails),
  info: z.looseObject({ more_records: z.boolean().optional() }).optional(),
})
export type WatchListResponse = z.infer<typeof WatchListResponse>

/** `GET /{module}?fields=` and `GET /{module}?ids=` (Get Records; 204 means none). */
export const RecordListResponse = z.looseObject({
  data: z.array(PersonRecord),
  info: z
    .looseObject({
      more_records: z.boolean().optional(),
      /** Continues the listing after this page (Get Records beyond the first 2,000 records). */
      next_page_token: z.string().nullish(),
    })
    .optional(),
})
export type RecordListResponse = z.infer<typeof RecordListResponse>
