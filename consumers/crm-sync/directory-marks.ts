/**
 * @module consumers/crm-sync/directory-marks
 * The phone directory's shared state in the kv besides its entries (phone-keys.ts), read by the
 * lead-matcher and written by crm-sync:
 *
 * - `crm-sync:directory:complete`: the "directory complete" marker of the last full sync
 *   ({@link DirectoryMarker}); it expires a little after the next sync is due, so a directory
 *   nobody keeps stops being trusted on its own;
 * - `crm-sync:directory:unsure:<e164>`: crm-sync evicted the number at that time (its person
 *   changed or was deleted) and did not learn who has it now: a miss on it is searched, not
 *   trusted, until a full sync that started later has completed;
 * - `crm-sync:directory:touched:<module>:<id>`: crm-sync wrote that person from a notification
 *   at that time; a full sync that started earlier read older data and leaves the person alone;
 * - `crm-sync:directory:progress`: the running full sync, for `callbridge directory status`.
 */
import { z } from 'zod'
import type { Kv } from '../../platform/kv/port.ts'
import { parseJson } from '../lead-matcher/phone-keys.ts'

/** What the last complete full sync did, and until when its directory is trusted. */
export const DirectoryMarker = z.object({
  /** Epoch ms. Notifications handled after this are already in the directory. */
  startedAt: z.number(),
  completedAt: z.number(),
  /** Epoch ms after which the directory is stale (no full sync completed since). */
  freshUntil: z.number(),
  /** Lifetime of directory entries: what the lead-matcher gives the leads it creates. */
  entryTtlMs: z.number(),
  leads: z.number(),
  contacts: z.number(),
  numbers: z.number(),
  removedPeople: z.number(),
  unreadable: z.number(),
  pages: z.number(),
})
export type DirectoryMarker = z.infer<typeof DirectoryMarker>

/** A full sync in progress. */
export const DirectoryProgress = z.object({
  startedAt: z.number(),
  updatedAt: z.number(),
  phase: z.enum(['reading', 'writing', 'pruning', 'removing', 'done', 'failed']),
  pages: z.number(),
  people: z.number(),
  /** People written (writing, pruning) or removed (removing) so far in this phase. */
  done: z.number(),
  error: z.string().exactOptional(),
})
export type DirectoryProgress = z.infer<typeof DirectoryProgress>

/** How long things live for a sync every `intervalMs`. */
export interface DirectoryTimings {
  readonly intervalMs: number
  /** The marker: the interval plus a grace for a slow or retried sync. */
  readonly markerTtlMs: number
  /** Entries, unsure and touched marks: two intervals plus the grace (one failed sync is fine). */
  readonly entryTtlMs: number
}

/** The lifetimes for a full sync every `intervalMs`. */
export const directoryTimings = (intervalMs: number): DirectoryTimings => {
  const graceMs = Math.max(15 * 60_000, Math.round(intervalMs / 4))
  return { intervalMs, markerTtlMs: intervalMs + graceMs, entryTtlMs: 2 * intervalMs + graceMs }
}

const markerKey = 'crm-sync:directory:complete'
const progressKey = 'crm-sync:directory:progress'
const unsureKey = (e164: string) => `crm-sync:directory:unsure:${e164}`
const touchedKey = (module: string, id: string) => `crm-sync:directory:touched:${module}:${id}`

const epochMs = async (kv: Kv, key: string): Promise<number | null> => {
  const value = Number(await kv.get(key))
  return Number.isFinite(value) && value > 0 ? value : null
}

export const readMarker = async (kv: Kv): Promise<DirectoryMarker | null> =>
  parseJson(DirectoryMarker, await kv.get(markerKey))

export const writeMarker = (kv: Kv, marker: DirectoryMarker, now: number): Promise<void> =>
  kv.set(markerKey, JSON.stringify(marker), Math.max(1, marker.freshUntil - now))

/** True while the marker says the directory is complete and current. */
export const isFresh = (marker: DirectoryMarker | null, now: number): marker is DirectoryMarker =>
  marker !== null && marker.freshUntil > now

export const readProgress = async (kv: Kv): Promise<DirectoryProgress | null> =>
  parseJson(DirectoryProgress, await kv.get(progressKey))

export const writeProgress = (kv: Kv, progress: DirectoryProgress, ttlMs: number): Promise<void> =>
  kv.set(progressKey, JSON.stringify(progress), ttlMs)

/** Marks numbers as evicted without knowing their new owner. */
export const markUnsure = async (
  kv: Kv,
  numbers: readonly string[],
  at: number,
  ttlMs: number,
): Promise<void> => {
  for (const e164 of numbers) await kv.set(unsureKey(e164), String(at), ttlMs)
}

/** When crm-sync last evicted `e164` without learning its new owner, or null. */
export const unsureSince = (kv: Kv, e164: string): Promise<number | null> =>
  epochMs(kv, unsureKey(e164))

export const touch = (kv: Kv, module: string, id: string, at: number, ttlMs: number) =>
  kv.set(touchedKey(module, id), String(at), ttlMs)

/** When crm-sync last wrote the person from a notification, or null. */
export const touchedAt = (kv: Kv, module: string, id: string): Promise<number | null> =>
  epochMs(kv, touchedKey(module, id))
