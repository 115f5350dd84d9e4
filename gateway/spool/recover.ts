/**
 * @module gateway/spool/recover
 * Start-up: rebuilds the spool's in-memory state from disk. Segments wholly before the cursor are
 * acked leftovers and are deleted; every segment from the cursor on is validated frame by frame
 * (CRC), and each is truncated at its first invalid frame: a torn write from a crash, or a write
 * that failed and was abandoned. Bad data is reported through `onRecovery`, never thrown.
 */
import { mkdir, open, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { CURSOR_FILE, type Cursor, readCursor } from './cursor-file.ts'
import {
  listSegments,
  readFrames,
  segmentName,
  segmentPath,
  syncDirectory,
} from './segment-file.ts'
import type { SpoolRecovery, SyncKind } from './types.ts'

/** A segment the spool knows; `size` counts only durable, valid bytes. */
export interface SegmentState {
  readonly seq: number
  size: number
}

/** Mutable state shared by the writer (appends) and the reader (peek/ack). */
export interface SpoolState {
  readonly dir: string
  /** Ascending by seq; the last one receives appends. May still list acked ones awaiting deletion. */
  readonly segments: SegmentState[]
  /** Oldest unacked record. When no segment has `head.segment`, the next one created gets it. */
  head: Cursor
  records: number
  bytes: number
  oldestSpooledAt: number | null
}

const SCAN_BATCH = 10_000

export const recoverSpool = async (
  dir: string,
  onRecovery: (info: SpoolRecovery) => void,
  onSync: (kind: SyncKind) => void,
): Promise<SpoolState> => {
  await mkdir(dir, { recursive: true })
  const { cursor, corrupt } = await readCursor(dir)
  if (corrupt) {
    const reason = 'unreadable cursor: replaying from the oldest segment'
    onRecovery({ file: join(dir, CURSOR_FILE), offset: 0, droppedBytes: 0, reason })
  }
  const seqs = await listSegments(dir)
  const head = headFrom(cursor, seqs)
  let deleted = false
  for (const seq of seqs.filter((s) => s < head.segment)) {
    await rm(segmentPath(dir, seq), { force: true })
    deleted = true
  }
  if (deleted) {
    await syncDirectory(dir)
    onSync('directory')
  }
  const state: SpoolState = { dir, segments: [], head, records: 0, bytes: 0, oldestSpooledAt: null }
  for (const seq of seqs.filter((s) => s >= head.segment)) {
    const size = await scanSegment(state, seq, onRecovery, onSync)
    state.segments.push({ seq, size })
  }
  return state
}

/** The cursor if its segment exists, else the start of the next segment that does. */
const headFrom = (cursor: Cursor | null, seqs: readonly number[]): Cursor => {
  if (!cursor) return { segment: seqs[0] ?? 1, offset: 0 }
  if (seqs.includes(cursor.segment)) return cursor
  const next = seqs.find((s) => s > cursor.segment)
  return { segment: next ?? cursor.segment + 1, offset: 0 }
}

/** Validates one segment from the head (or its start), truncates a bad tail, counts records. */
const scanSegment = async (
  state: SpoolState,
  seq: number,
  onRecovery: (info: SpoolRecovery) => void,
  onSync: (kind: SyncKind) => void,
): Promise<number> => {
  const path = segmentPath(state.dir, seq)
  const handle = await open(path, 'r+')
  try {
    const { size } = await handle.stat()
    let pos = seq === state.head.segment ? state.head.offset : 0
    if (pos > size) {
      const reason = `cursor at ${pos} is past the end of ${segmentName(seq)}`
      onRecovery({ file: path, offset: size, droppedBytes: 0, reason })
      pos = size
      state.head = { segment: seq, offset: size }
    }
    for (;;) {
      const read = await readFrames(handle, pos, size, SCAN_BATCH)
      for (const frame of read.frames) {
        state.oldestSpooledAt ??= frame.record.spooledAt
        state.records += 1
        state.bytes += frame.size
      }
      pos = read.next
      if (read.invalid) {
        await handle.truncate(pos)
        await handle.sync()
        onSync('segment')
        const { reason } = read.invalid
        onRecovery({ file: path, offset: pos, droppedBytes: size - pos, reason })
        return pos
      }
      if (pos >= size || read.frames.length === 0) return pos
    }
  } finally {
    await handle.close()
  }
}
