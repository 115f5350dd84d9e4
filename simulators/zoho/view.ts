/**
 * @module simulators/zoho/view
 * Read-only views of the simulator's state, for tests (`sim.state`) and `/_sim`, and seeding
 * records without the API (no validation, no callbacks, searchable at once).
 */
import type { Deps } from './deps.ts'
import { zohoDateTime } from './format.ts'
import { recordModule } from './modules.ts'
import { presentNote } from './notes.ts'
import { presentRecord } from './present.ts'
import { insertRecord } from './record-store.ts'
import { type CallbackAttempt, recordsOf } from './state.ts'
import type { SimUser } from './users-data.ts'

/** A record as the API returns it. */
export type ZohoRecordView = Readonly<Record<string, unknown>>

export interface ZohoAttachmentView {
  readonly id: string
  readonly module: string
  readonly recordId: string
  readonly fileName: string | null
  readonly size: number
  readonly sha256: string | null
  readonly contentType: string | null
  /** First bytes (≤ 1 KiB), base64. */
  readonly preview: string
  readonly linkUrl: string | null
  readonly createdTime: string
}

export interface ZohoChannelView {
  readonly channelId: string
  readonly events: readonly string[]
  readonly notifyUrl: string
  readonly token: string | null
  readonly channelExpiry: string
  readonly expiresAt: number
  readonly returnAffectedFieldValues: boolean
}

/** Read-only views of what the simulator holds. */
export interface ZohoSimStateView {
  records(module: string): readonly ZohoRecordView[]
  notes(): readonly ZohoRecordView[]
  attachments(): readonly ZohoAttachmentView[]
  /** Live (unexpired) watch channels. */
  channels(): readonly ZohoChannelView[]
  callbacks(): readonly CallbackAttempt[]
  users(): readonly SimUser[]
  /** Access tokens currently accepted. */
  liveAccessTokens(): readonly string[]
}

export const createView = ({ state, options }: Deps): ZohoSimStateView => ({
  records(module) {
    const def = recordModule(module)
    if (!def) throw new Error(`unknown module: ${module}`)
    return [...recordsOf(state, def.apiName).values()].map((record) => presentRecord(state, record))
  },
  notes: () => [...state.notes.values()].map((note) => presentNote(state, note)),
  attachments: () =>
    [...state.attachments.values()].map((item) => ({
      id: item.id,
      module: item.parentModule,
      recordId: item.parentId,
      fileName: item.fileName,
      size: item.size,
      sha256: item.sha256,
      contentType: item.contentType,
      preview: item.preview,
      linkUrl: item.linkUrl,
      createdTime: zohoDateTime(item.createdAt),
    })),
  channels: () =>
    [...state.channels.values()]
      .filter((channel) => channel.expiresAt > options.now())
      .map((channel) => ({
        channelId: String(channel.channelId),
        events: [...channel.events],
        notifyUrl: channel.notifyUrl,
        token: channel.token,
        channelExpiry: zohoDateTime(channel.expiresAt),
        expiresAt: channel.expiresAt,
        returnAffectedFieldValues: channel.returnAffectedFieldValues,
      })),
  callbacks: () => [...state.callbacks],
  users: () => [...state.users],
  liveAccessTokens: () =>
    [...state.tokens.values()]
      .filter((entry) => entry.expiresAt > options.now())
      .map((entry) => entry.token),
})

/** Stores records as given (an `id` and `Owner: { id }` are honoured), without callbacks. */
export const seedRecords = (
  deps: Deps,
  module: string,
  records: readonly Readonly<Record<string, unknown>>[],
): ZohoRecordView[] => {
  const def = recordModule(module)
  if (!def) throw new Error(`unknown module: ${module}`)
  return records.map((input) => {
    const { id, Owner, ...fields } = input
    const owner =
      typeof Owner === 'object' && Owner !== null && 'id' in Owner ? String(Owner.id) : undefined
    const record = insertRecord(deps.state, deps.options, def.apiName, fields, {
      ownerId: owner,
      id: typeof id === 'string' ? id : undefined,
      indexNow: true,
    })
    return presentRecord(deps.state, record)
  })
}
