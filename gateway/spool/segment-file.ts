/**
 * @module gateway/spool/segment-file
 * Segment files (`spool-<seq>.log`, append-only sequences of frames, see record-codec) and the
 * small filesystem helpers the spool needs: listing segments in order, fsyncing a directory so a
 * created, renamed or deleted entry is durable, and reading frames back in bounded chunks.
 */
import type { FileHandle } from 'node:fs/promises'
import { open, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { decodeFrame, FRAME_HEADER_BYTES } from './record-codec.ts'
import type { SpoolRecord } from './types.ts'

const SEGMENT_PATTERN = /^spool-(\d{12})\.log$/
const READ_CHUNK_BYTES = 1024 * 1024

/** File name of segment `seq`; zero-padded so names sort like numbers. */
export const segmentName = (seq: number): string => `spool-${String(seq).padStart(12, '0')}.log`

export const segmentPath = (dir: string, seq: number): string => join(dir, segmentName(seq))

/** Sequence numbers of the segment files in `dir`, ascending. Other files are ignored. */
export const listSegments = async (dir: string): Promise<number[]> => {
  const seqs: number[] = []
  for (const name of await readdir(dir)) {
    const match = SEGMENT_PATTERN.exec(name)
    if (match?.[1] !== undefined) seqs.push(Number(match[1]))
  }
  return seqs.sort((a, b) => a - b)
}

/** fsyncs the directory itself, making entries created, renamed or removed in it durable. */
export const syncDirectory = async (dir: string): Promise<void> => {
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** A decoded record and where its frame sits in the file. */
export interface Frame {
  readonly record: SpoolRecord
  readonly offset: number
  readonly size: number
}

export interface FrameRead {
  readonly frames: readonly Frame[]
  /** Offset just after the last frame returned. */
  readonly next: number
  /** Set when reading stopped at data that is not a valid frame (torn or corrupt). */
  readonly invalid: { readonly offset: number; readonly reason: string } | null
}

/**
 * Reads up to `max` frames from `[from, end)` of `file`, in chunks (memory stays bounded by the
 * chunk or the largest record). Stops at the first invalid frame, a frame crossing `end`, or a
 * file shorter than `end`, and reports where. Never throws for bad data, only for I/O errors.
 */
export const readFrames = async (
  file: FileHandle,
  from: number,
  end: number,
  max: number,
): Promise<FrameRead> => {
  const frames: Frame[] = []
  let pos = from
  let needed = 0
  while (frames.length < max && pos < end) {
    const want = Math.min(Math.max(READ_CHUNK_BYTES, needed), end - pos)
    const buffer = Buffer.allocUnsafe(want)
    const { bytesRead } = await file.read(buffer, 0, want, pos)
    const data = buffer.subarray(0, bytesRead)
    if (bytesRead === 0)
      return { frames, next: pos, invalid: { offset: pos, reason: 'file too short' } }
    let off = 0
    while (frames.length < max && off < data.length) {
      const decoded = decodeFrame(data, off)
      if (decoded.kind === 'record') {
        frames.push({ record: decoded.record, offset: pos + off, size: decoded.size })
        off += decoded.size
        continue
      }
      if (decoded.kind === 'corrupt') {
        return { frames, next: pos + off, invalid: { offset: pos + off, reason: decoded.reason } }
      }
      const reachedEnd = pos + data.length >= end || bytesRead < want
      if (reachedEnd) {
        return { frames, next: pos + off, invalid: { offset: pos + off, reason: 'torn record' } }
      }
      needed = decoded.size ?? FRAME_HEADER_BYTES
      break
    }
    pos += off
  }
  return { frames, next: pos, invalid: null }
}
