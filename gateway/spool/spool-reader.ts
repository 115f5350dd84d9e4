/**
 * @module gateway/spool/spool-reader
 * Reads the oldest unacked records: from the head cursor forward, across segments, never past a
 * segment's durable size (so it never returns records whose append has not been fsynced).
 */
import { open } from 'node:fs/promises'
import type { SpoolState } from './recover.ts'
import type { Frame } from './segment-file.ts'
import { readFrames, segmentName, segmentPath } from './segment-file.ts'

/** A frame read at the head, with the segment it is in (what ack needs to move the cursor). */
export type HeadFrame = Frame & { readonly seq: number }

/**
 * Up to `max` frames from the head, in append order. Throws if data that was valid at open or at
 * append no longer is (the disk changed under the spool): silently skipping records is not an
 * option.
 */
export const readHead = async (state: SpoolState, max: number): Promise<HeadFrame[]> => {
  const result: HeadFrame[] = []
  for (const segment of state.segments) {
    if (result.length >= max) break
    if (segment.seq < state.head.segment) continue
    const from = segment.seq === state.head.segment ? state.head.offset : 0
    const end = segment.size
    if (from >= end) continue
    const handle = await open(segmentPath(state.dir, segment.seq), 'r')
    try {
      const read = await readFrames(handle, from, end, max - result.length)
      for (const frame of read.frames) result.push({ ...frame, seq: segment.seq })
      if (read.invalid) {
        const { offset, reason } = read.invalid
        throw new Error(
          `spool segment ${segmentName(segment.seq)} is unreadable at ${offset}: ${reason}`,
        )
      }
    } finally {
      await handle.close()
    }
  }
  return result
}
