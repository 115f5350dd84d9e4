/**
 * @module gateway/spool/append-writer
 * Group commit for appends. Calls queue up; one loop takes everything queued, writes it to the
 * active segment with one `writev` and one fdatasync (fdatasync persists the data and the new file
 * size, which is all an append changes), then resolves those callers in call order. Appends that
 * arrive meanwhile form the next group. A group that does not fit in the segment is split across a
 * roll-over (one fsync per segment touched).
 *
 * State (record count, sizes) is updated only after the fsync, so peek and stats never see data
 * that is not durable. After a failed write the segment is abandoned (truncated back when
 * possible) and the next append starts a new segment, so valid records never follow a bad region.
 */
import type { FileHandle } from 'node:fs/promises'
import { open } from 'node:fs/promises'
import type { SegmentState, SpoolState } from './recover.ts'
import { segmentPath, syncDirectory } from './segment-file.ts'
import type { SyncKind } from './types.ts'

interface Pending {
  readonly frames: readonly Buffer[]
  readonly spooledAt: number
  readonly resolve: () => void
  readonly reject: (error: unknown) => void
}

export interface AppendWriter {
  /** Queues encoded frames; resolves after they are fsynced. */
  write(frames: readonly Buffer[], spooledAt: number): Promise<void>
  /** Waits for queued writes, then closes the segment file. */
  close(): Promise<void>
}

export const createAppendWriter = (
  state: SpoolState,
  segmentBytes: number,
  onSync: (kind: SyncKind) => void,
): AppendWriter => {
  const queue: Pending[] = []
  let running: Promise<void> | null = null
  let active: { segment: SegmentState; handle: FileHandle } | null = null
  let abandonActive = false

  const closeActive = async () => {
    const current = active
    active = null
    await current?.handle.close().catch(() => {})
  }

  /** The segment to write a frame of `size` bytes to, rolling over or creating one as needed. */
  const segmentFor = async (size: number) => {
    const last = state.segments.at(-1)
    if (!active && last && !abandonActive) {
      active = { segment: last, handle: await open(segmentPath(state.dir, last.seq), 'r+') }
    }
    if (
      active &&
      !abandonActive &&
      (active.segment.size === 0 || active.segment.size + size <= segmentBytes)
    ) {
      return active
    }
    await closeActive()
    const seq = last ? last.seq + 1 : state.head.segment
    const handle = await open(segmentPath(state.dir, seq), 'wx')
    const segment: SegmentState = { seq, size: 0 }
    state.segments.push(segment)
    active = { segment, handle }
    abandonActive = false
    await syncDirectory(state.dir)
    onSync('directory')
    return active
  }

  /** Writes all frames of `group`; returns how many frames became durable. Throws on I/O error. */
  const writeGroup = async (
    frames: readonly Buffer[],
    firstSpooledAt: (index: number) => number,
  ) => {
    let done = 0
    while (done < frames.length) {
      const first = frames[done] as Buffer
      const target = await segmentFor(first.length)
      const chunk: Buffer[] = [first]
      let bytes = first.length
      for (let i = done + 1; i < frames.length; i++) {
        const next = frames[i] as Buffer
        if (target.segment.size + bytes + next.length > segmentBytes) break
        chunk.push(next)
        bytes += next.length
      }
      try {
        const { bytesWritten } = await target.handle.writev(chunk, target.segment.size)
        if (bytesWritten !== bytes)
          throw new Error(`short write: ${bytesWritten} of ${bytes} bytes`)
        await target.handle.datasync()
        onSync('segment')
      } catch (error) {
        abandonActive = true
        await target.handle.truncate(target.segment.size).catch(() => {})
        throw error
      }
      target.segment.size += bytes
      if (state.records === 0) state.oldestSpooledAt = firstSpooledAt(done)
      state.records += chunk.length
      state.bytes += bytes
      done += chunk.length
    }
    return done
  }

  const flush = async (group: readonly Pending[]) => {
    const frames = group.flatMap((p) => p.frames)
    const owner = group.flatMap((p) => p.frames.map(() => p))
    let durable = 0
    let failure: unknown = null
    try {
      durable = await writeGroup(frames, (index) => (owner[index] as Pending).spooledAt)
    } catch (error) {
      failure = error
    }
    let end = 0
    for (const pending of group) {
      end += pending.frames.length
      if (end <= durable) pending.resolve()
      else pending.reject(failure)
    }
  }

  const run = async () => {
    await Promise.resolve() // let a synchronous burst of appends join the first group
    while (queue.length > 0) await flush(queue.splice(0))
    running = null
  }

  return {
    write: (frames, spooledAt) =>
      new Promise<void>((resolve, reject) => {
        queue.push({ frames, spooledAt, resolve, reject })
        running ??= run()
      }),
    close: async () => {
      await running
      await closeActive()
    },
  }
}
