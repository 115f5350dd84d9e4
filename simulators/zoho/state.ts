/**
 * @module simulators/zoho/state
 * Everything the simulator remembers: records (with what the search index sees), notes,
 * attachments, watch channels, callback attempts, users, access tokens, the credit ledger and the
 * counters behind `stats()`. Plain data, mutated by the routes; {@link ZohoSimState} is the
 * read-only view tests get.
 */
import { createIdSource } from './format.ts'
import { moduleDefs } from './modules.ts'
import { defaultUsers, type SimUser } from './users-data.ts'

/** Field values of a record as written (system fields excluded). */
export type Fields = Record<string, unknown>

export interface StoredRecord {
  readonly id: string
  readonly module: string
  fields: Fields
  ownerId: string
  readonly createdById: string
  modifiedById: string
  readonly createdAt: number
  modifiedAt: number
  /** The values search matches on (null until first indexed). */
  indexed: Fields | null
  /** Values written but not yet searchable, and when they become so (`indexLagMs`). */
  pending: { readonly fields: Fields; readonly visibleAt: number } | null
}

export interface StoredNote {
  readonly id: string
  readonly parentModule: string
  readonly parentId: string
  title: string | null
  content: string
  readonly ownerId: string
  readonly createdAt: number
  modifiedAt: number
}

export interface StoredAttachment {
  readonly id: string
  readonly parentModule: string
  readonly parentId: string
  readonly fileName: string | null
  readonly size: number
  /** sha256 of the content, hex; null for a link attachment. */
  readonly sha256: string | null
  readonly contentType: string | null
  /** The first bytes of the content (at most 1 KiB), base64; the rest is not kept. */
  readonly preview: string
  readonly linkUrl: string | null
  readonly ownerId: string
  readonly createdAt: number
}

export interface Channel {
  /** The channel id as the client sent it (Zoho: a long). */
  readonly channelId: string | number
  events: string[]
  notifyUrl: string
  token: string | null
  expiresAt: number
  returnAffectedFieldValues: boolean
  notifyOnRelatedAction: boolean
  notificationCondition: unknown[]
}

export interface CallbackAttempt {
  readonly channelId: string
  readonly url: string
  readonly body: Readonly<Record<string, unknown>>
  readonly at: number
  /** HTTP status of the receiver's answer; absent when the POST failed. */
  status?: number
  error?: string
}

export interface AccessToken {
  readonly token: string
  readonly refreshToken: string
  readonly issuedAt: number
  expiresAt: number
}

export interface Stats {
  requests: number
  peakConcurrency: number
  served429: number
  served500: number
  creditsUsed: number
  tokenRequests: number
}

export interface SimState {
  readonly records: Map<string, Map<string, StoredRecord>>
  readonly notes: Map<string, StoredNote>
  readonly attachments: Map<string, StoredAttachment>
  readonly channels: Map<string, Channel>
  readonly callbacks: CallbackAttempt[]
  readonly users: readonly SimUser[]
  readonly tokens: Map<string, AccessToken>
  /** Token endpoint calls per refresh token (ms timestamps), for the 10-minute limit. */
  readonly tokenRequests: Map<string, number[]>
  /** Credits spent, for the rolling 24-hour window. */
  readonly credits: { at: number; cost: number }[]
  readonly stats: Stats
  readonly nextId: () => string
  inFlight: number
  searchInFlight: number
}

export const emptyStats = (): Stats => ({
  requests: 0,
  peakConcurrency: 0,
  served429: 0,
  served500: 0,
  creditsUsed: 0,
  tokenRequests: 0,
})

export const createState = (): SimState => ({
  records: new Map(moduleDefs.filter((m) => m.records).map((m) => [m.apiName, new Map()])),
  notes: new Map(),
  attachments: new Map(),
  channels: new Map(),
  callbacks: [],
  users: defaultUsers,
  tokens: new Map(),
  tokenRequests: new Map(),
  credits: [],
  stats: emptyStats(),
  nextId: createIdSource(),
  inFlight: 0,
  searchInFlight: 0,
})

/** The records of a module (the module must be a record module). */
export const recordsOf = (state: SimState, module: string): Map<string, StoredRecord> => {
  const records = state.records.get(module)
  if (!records) throw new Error(`not a record module: ${module}`)
  return records
}

/** A record by id, in any module. */
export const findRecord = (state: SimState, id: string): StoredRecord | undefined => {
  for (const records of state.records.values()) {
    const record = records.get(id)
    if (record) return record
  }
  return undefined
}
