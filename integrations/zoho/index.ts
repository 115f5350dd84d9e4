/**
 * @module integrations/zoho
 * Zoho CRM v8: the client (`createZohoClient`), the CRM-port adapter (`createZohoCrm`), the error
 * type and its mapping, and the pure helpers other code may reuse (phone variants, formats).
 */
export type { AttachmentUpload } from './attachments.ts'
export { callDuration, callFields, zohoDateTime } from './calls.ts'
export type { ZohoClient, ZohoClientOptions } from './client.ts'
export { createZohoClient } from './client.ts'
export type { ZohoCrmOptions } from './crm.ts'
export { createZohoCrm } from './crm.ts'
export type { ZohoApiErrorInit, ZohoClientCode } from './errors.ts'
export { toCrmError, ZohoApiError } from './errors.ts'
export type { ZohoNote } from './notes.ts'
export type { NormalizedPhone } from './phone.ts'
export { checkRegion, chooseBestMatch, normalizePhone, phoneSearchVariants } from './phone.ts'
export type { ZohoFields } from './records.ts'
export type { RetryOptions } from './retry-policy.ts'
export type { PersonRecord, ZohoUser } from './schemas.ts'
export type { AccessToken } from './token-store.ts'
export type { ZohoMethod, ZohoRawBody, ZohoRequest, ZohoResponse } from './transport.ts'
export type { ZohoUserType } from './users.ts'
export type { WatchGrant, WatchSubscription, ZohoWatch } from './watch.ts'
export { maxChannelLifeMs } from './watch.ts'
