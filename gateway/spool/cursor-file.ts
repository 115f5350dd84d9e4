/**
 * @module gateway/spool/cursor-file
 * The ack cursor: the position (segment, byte offset) of the oldest record not yet acknowledged.
 * It is replaced atomically (write temp file, fsync, rename, fsync directory), so after a crash
 * it is either the old or the new position, never a mix. A missing or unreadable cursor means
 * "from the start of the oldest segment": replaying too much is safe, skipping is not.
 */
import { open, readFile, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { syncDirectory } from './segment-file.ts'

export const CURSOR_FILE = 'cursor.json'
const CURSOR_TEMP = 'cursor.json.tmp'

/** Position of the oldest unacked record: a frame boundary in segment `segment`. */
export interface Cursor {
  readonly segment: number
  readonly offset: number
}

const isPosition = (value: unknown): value is number =>
  Number.isSafeInteger(value) && Number(value) >= 0

/** Reads the cursor; null when there is none. `corrupt` says it existed but was not valid. */
export const readCursor = async (
  dir: string,
): Promise<{ cursor: Cursor | null; corrupt: boolean }> => {
  await rm(join(dir, CURSOR_TEMP), { force: true })
  let text: string
  try {
    text = await readFile(join(dir, CURSOR_FILE), 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { cursor: null, corrupt: false }
    throw error
  }
  try {
    const parsed: unknown = JSON.parse(text)
    const { segment, offset } = (parsed ?? {}) as Record<string, unknown>
    if (isPosition(segment) && isPosition(offset))
      return { cursor: { segment, offset }, corrupt: false }
  } catch {
    // fall through: treated as corrupt
  }
  return { cursor: null, corrupt: true }
}

/** Persists the cursor atomically and durably. `onSync` observes each fsync. */
export const writeCursor = async (
  dir: string,
  cursor: Cursor,
  onSync: (kind: 'cursor' | 'directory') => void,
): Promise<void> => {
  const temp = join(dir, CURSOR_TEMP)
  const handle = await open(temp, 'w')
  try {
    await handle.writeFile(JSON.stringify({ segment: cursor.segment, offset: cursor.offset }))
    await handle.sync()
    onSync('cursor')
  } finally {
    await handle.close()
  }
  await rename(temp, join(dir, CURSOR_FILE))
  await syncDirectory(dir)
  onSync('directory')
}
