/**
 * @module simulators/zoho/record-store
 * Writing records and what search sees of them. A write is visible to GET at once but reaches
 * the search index only `indexLagMs` later (Zoho: "you may face the 204 NO CONTENT error due to
 * a delay in indexing"); until then search matches the previous values, or nothing for a new
 * record.
 */
import type { ResolvedOptions } from './options.ts'
import { type Fields, recordsOf, type SimState, type StoredRecord } from './state.ts'
import { currentUser } from './users-data.ts'

const stage = (record: StoredRecord, now: number, lagMs: number) => {
  const snapshot = { ...record.fields }
  if (lagMs <= 0) {
    record.indexed = snapshot
    record.pending = null
  } else {
    record.pending = { fields: snapshot, visibleAt: now + lagMs }
  }
}

/** The values search matches for `record` at `now`, or null while it is not indexed yet. */
export const searchView = (record: StoredRecord, now: number): Fields | null => {
  if (record.pending && record.pending.visibleAt <= now) {
    record.indexed = record.pending.fields
    record.pending = null
  }
  return record.indexed
}

export interface InsertOptions {
  readonly ownerId?: string | undefined
  readonly id?: string | undefined
  /** Seeded records are searchable at once. */
  readonly indexNow?: boolean
}

export const insertRecord = (
  state: SimState,
  options: ResolvedOptions,
  module: string,
  fields: Fields,
  { ownerId, id, indexNow = false }: InsertOptions = {},
): StoredRecord => {
  const now = options.now()
  const me = currentUser(state.users).id
  const record: StoredRecord = {
    id: id ?? state.nextId(),
    module,
    fields: { ...fields },
    ownerId: ownerId ?? me,
    createdById: me,
    modifiedById: me,
    createdAt: now,
    modifiedAt: now,
    indexed: null,
    pending: null,
  }
  recordsOf(state, module).set(record.id, record)
  stage(record, now, indexNow ? 0 : options.indexLagMs)
  return record
}

/** Applies `fields` (null clears a value); returns the fields whose value changed. */
export const updateRecord = (
  state: SimState,
  options: ResolvedOptions,
  record: StoredRecord,
  fields: Fields,
  ownerId?: string,
): Fields => {
  const now = options.now()
  const changed: Fields = {}
  for (const [key, value] of Object.entries(fields)) {
    if (JSON.stringify(record.fields[key] ?? null) !== JSON.stringify(value)) changed[key] = value
    if (value === null) delete record.fields[key]
    else record.fields[key] = value
  }
  if (ownerId !== undefined && ownerId !== record.ownerId) {
    record.ownerId = ownerId
    changed['Owner'] = { id: ownerId }
  }
  record.modifiedAt = now
  record.modifiedById = currentUser(state.users).id
  stage(record, now, options.indexLagMs)
  return changed
}
