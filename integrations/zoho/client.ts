/**
 * @module integrations/zoho/client
 * `createZohoClient`: the Zoho CRM v8 client on fetch. It wires the shared token (token-store.ts,
 * budget in token-budget.ts), the org-wide concurrency semaphore and retries (transport.ts) and
 * the operations (records, calls, notes, attachments, COQL, watch, users). Several replicas pointed at
 * the same kv behave as one client towards Zoho: one token, one budget, one concurrency limit.
 */

import { createHash } from 'node:crypto'
import type { CountryCode } from 'libphonenumber-js'
import type { HealthCheck } from '../../platform/health/check.ts'
import type { Kv } from '../../platform/kv/port.ts'
import type { Logger } from '../../platform/log/logger.ts'
import type { CallActivity, CrmPerson, NewLead } from '../crm/port.ts'
import { type AttachmentUpload, findAttachment, uploadAttachment } from './attachments.ts'
import { type CallLookup, findCall, logCall } from './calls.ts'
import { type CoqlPage, coqlQuery } from './coql.ts'
import { createTokenHealth } from './health.ts'
import { type CreatedLeadLookup, findCreatedLead } from './lead-lookup.ts'
import { addNote, findNote, type ZohoNote } from './notes.ts'
import { listRecordsPage, type RecordPage, recordsByIds } from './people.ts'
import { checkRegion } from './phone.ts'
import {
  createRecord,
  leadFields,
  searchByPhone,
  updateRecord,
  type ZohoFields,
} from './records.ts'
import { type RetryOptions, retrySettings } from './retry-policy.ts'
import type { PersonRecord, ZohoUser } from './schemas.ts'
import { createTokenBudget } from './token-budget.ts'
import { createTokenStore } from './token-store.ts'
import { createTransport, type ZohoRequest, type ZohoResponse } from './transport.ts'
import { currentUser, listUsers, type ZohoUserType } from './users.ts'
import { createWatch, type ZohoWatch } from './watch.ts'

/** Options for {@link createZohoClient}. */
export interface ZohoClientOptions {
  /**
   * Zoho Accounts of the org's data centre, e.g. `https://accounts.zoho.eu` (or a simulator).
   * The API domain comes from the token response, so this is the only data-centre setting.
   */
  readonly accountsUrl: string
  readonly clientId: string
  readonly clientSecret: string
  readonly refreshToken: string
  /** Shared state: Redis for several replicas, the memory kv for one process. */
  readonly kv: Kv
  readonly concurrency?: {
    /** Simultaneous API calls for the whole org, all replicas together. Default 10. */
    readonly limit?: number
    /** A slot not given back within this time is reclaimed (holder died). Default 60 s. */
    readonly leaseMs?: number
    /** How long a call waits for a free slot before failing (rate limited). Default 30 s. */
    readonly waitMs?: number
  }
  /**
   * Token requests allowed per 10 minutes, all replicas together. Default 10, Zoho's limit;
   * lower it when other apps use the same refresh token.
   */
  readonly tokenRequestsPer10Min?: number
  /** How long a call waits for a refresh by another replica or a budget slot. Default 10 s. */
  readonly tokenWaitMs?: number
  readonly retries?: RetryOptions
  /** Timeout of one API call (and of the token request). Default 30 s. */
  readonly timeoutMs?: number
  /** Timeout of one attachment upload. Default 10 minutes. */
  readonly uploadTimeoutMs?: number
  /** Largest attachment sent. Default 100 MB (Zoho's documented limit). */
  readonly maxAttachmentBytes?: number
  /** Region for numbers written without a country code. Default `US`. */
  readonly defaultRegion?: string
  readonly logger?: Pick<Logger, 'debug' | 'info' | 'warn'>
  /** Clock for token expiry, in epoch ms. Default `Date.now`. */
  readonly now?: () => number
  readonly fetch?: typeof fetch
}

/** The Zoho CRM client. */
export interface ZohoClient {
  /**
   * Records of `module` with a phone field matching `phone` (E.164, or national in the default
   * region); empty when none. Tries digits-only variants, see phone.ts.
   */
  searchByPhone(module: string, phone: string): Promise<PersonRecord[]>
  /** One page (200) of a module's records with `fields`, after `pageToken` (Get Records). */
  listRecords(module: string, fields: readonly string[], pageToken?: string): Promise<RecordPage>
  /** Records by id (Get Records `ids=`, 100 a request, no index lag); unknown ids left out. */
  getRecords(
    module: string,
    ids: readonly string[],
    fields: readonly string[],
  ): Promise<PersonRecord[]>
  createLead(
    lead: NewLead,
    defaults?: { leadSource?: string; company?: string },
  ): Promise<{ id: string }>
  /** Changes fields of a lead (Zoho API names, e.g. `{ Lead_Status: 'Contacted' }`). */
  updateLead(id: string, fields: ZohoFields): Promise<void>
  /** Creates any record (Zoho API names). */
  createRecord(module: string, fields: ZohoFields): Promise<{ id: string }>
  logCall(call: CallActivity): Promise<{ id: string }>
  /** The Calls record of a person at a start time whose description has a marker line (COQL). */
  findCall(lookup: CallLookup): Promise<{ id: string } | null>
  /** The lead created with a number whose description contains a marker (COQL). */
  findCreatedLead(lookup: CreatedLeadLookup): Promise<CrmPerson | null>
  addNote(module: string, id: string, note: ZohoNote): Promise<{ id: string }>
  /** The note on the record whose content has the line `marker` (its Notes list). */
  findNote(module: string, id: string, marker: string): Promise<{ id: string } | null>
  uploadAttachment(module: string, id: string, file: AttachmentUpload): Promise<{ id: string }>
  /** The record's attachment named `fileName` (its Attachments list). */
  findAttachment(
    module: string,
    id: string,
    fileName: string,
  ): Promise<{ id: string; size?: number } | null>
  /** One COQL query (`POST /coql`): records as written, no search index lag. */
  query(selectQuery: string): Promise<CoqlPage>
  readonly watch: ZohoWatch
  currentUser(): Promise<ZohoUser>
  users(type?: ZohoUserType): Promise<ZohoUser[]>
  /** Any other v8 call, with the same token, concurrency and retry handling. */
  request(request: ZohoRequest): Promise<ZohoResponse>
  /** `zoho-token`: a usable access token is available (cached ~30 s). */
  readonly health: HealthCheck
  /** The kv the client coordinates through (the CRM adapter keeps its recent-lead cache there). */
  readonly kv: Kv
  readonly defaultRegion: CountryCode
}

const required = (value: string, name: string): string => {
  if (value.trim() === '') throw new RangeError(`zoho ${name} is empty`)
  return value
}

/**
 * Creates a Zoho CRM client. Checks its options at once; no network until the first call.
 * @throws RangeError on an invalid accounts URL, an empty credential or bad limits.
 * @example
 * const zoho = createZohoClient({
 *   accountsUrl: 'https://accounts.zoho.eu',
 *   clientId, clientSecret, refreshToken,
 *   kv: createRedisKv({ url: 'redis://127.0.0.1:6379' }),
 * })
 * const leads = await zoho.searchByPhone('Leads', '+4915112345678')
 */
export const createZohoClient = (options: ZohoClientOptions): ZohoClient => {
  if (!URL.canParse(options.accountsUrl)) throw new RangeError('zoho accountsUrl is not a URL')
  const accountsUrl = options.accountsUrl.replace(/\/+$/, '')
  const clientId = required(options.clientId, 'clientId')
  const clientSecret = required(options.clientSecret, 'clientSecret')
  const refreshToken = required(options.refreshToken, 'refreshToken')
  const { kv, logger } = options
  const now = options.now ?? Date.now
  const fetchImpl = options.fetch ?? globalThis.fetch
  const timeoutMs = options.timeoutMs ?? 30_000
  const region = checkRegion(options.defaultRegion ?? 'US')
  const limit = options.concurrency?.limit ?? 10
  const budgetLimit = options.tokenRequestsPer10Min ?? 10
  const budgetWindowMs = 10 * 60 * 1000

  // One namespace per org credential; a hash, so the refresh token never appears in a key.
  const fingerprint = createHash('sha256')
    .update(`${accountsUrl}\n${clientId}\n${refreshToken}`)
    .digest('hex')
    .slice(0, 16)
  const key = `zoho:token:${fingerprint}`

  const budget = createTokenBudget({
    kv,
    key,
    limit: budgetLimit,
    windowMs: budgetWindowMs,
    marginMs: 15_000,
  })
  const tokens = createTokenStore({
    kv,
    key,
    accountsUrl,
    clientId,
    clientSecret,
    refreshToken,
    budget,
    budgetWindowMs,
    waitMs: options.tokenWaitMs ?? 10_000,
    timeoutMs,
    fetch: fetchImpl,
    now,
    logger,
  })
  const transport = createTransport({
    kv,
    tokens,
    fetch: fetchImpl,
    concurrency: {
      limit,
      leaseMs: options.concurrency?.leaseMs ?? 60_000,
      waitMs: options.concurrency?.waitMs ?? 30_000,
    },
    retry: retrySettings(options.retries),
    timeoutMs,
    logger,
  })
  const upload = {
    maxBytes: options.maxAttachmentBytes ?? 100 * 1024 * 1024,
    timeoutMs: options.uploadTimeoutMs ?? 10 * 60 * 1000,
  }

  return {
    searchByPhone: (module, phone) => searchByPhone(transport, module, phone, region),
    listRecords: (module, fields, pageToken) =>
      listRecordsPage(transport, module, fields, pageToken),
    getRecords: (module, ids, fields) => recordsByIds(transport, module, ids, fields),
    createLead: (lead, defaults) =>
      createRecord(transport, 'Leads', leadFields(lead, defaults), 'createLead'),
    updateLead: (id, fields) => updateRecord(transport, 'Leads', id, fields, 'updateLead'),
    createRecord: (module, fields) => createRecord(transport, module, fields),
    logCall: (call) => logCall(transport, call),
    findCall: (lookup) => findCall(transport, lookup),
    findCreatedLead: (lookup) => findCreatedLead(transport, lookup),
    addNote: (module, id, note) => addNote(transport, module, id, note),
    findNote: (module, id, marker) => findNote(transport, module, id, marker),
    uploadAttachment: (module, id, file) => uploadAttachment(transport, module, id, file, upload),
    findAttachment: (module, id, fileName) => findAttachment(transport, module, id, fileName),
    query: (selectQuery) => coqlQuery(transport, selectQuery),
    watch: createWatch(transport, now),
    currentUser: () => currentUser(transport),
    users: (type) => listUsers(transport, type),
    request: (request) => transport.request(request),
    health: createTokenHealth({ tokens, budget, budgetLimit, now }),
    kv,
    defaultRegion: region,
  }
}
