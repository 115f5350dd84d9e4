/**
 * @module consumers/crm-sync/directory-sync
 * One full sync of the phone directory: every lead, then every contact, page by page (Get
 * Records, 200 a page: ⌈leads/200⌉ + ⌈contacts/200⌉ Zoho requests), into the kv.
 *
 * 1. reading: all pages of both modules, kept in memory (about 200 bytes a person);
 * 2. writing: who gets each number is decided over everyone at once (directory-rank.ts), then
 *    every person's numbers are written with an expiry of two intervals;
 * 3. pruning: numbers people no longer have are evicted (after every write, so a number that
 *    moved to someone else is never missing in between);
 * 4. removing: people of the previous sync that are gone lose their numbers;
 * 5. the member list, then the "directory complete" marker with the counts.
 *
 * People a notification touched after the sync started are skipped (crm-sync wrote fresher data).
 * A failure leaves the previous marker alone (it expires unless a later sync completes); the
 * next run starts over. Progress goes to `onProgress` and to the kv for `directory status`.
 */
import type { Crm, CrmPersonPhones, PersonModule } from '../../integrations/crm/port.ts'
import type { Kv } from '../../platform/kv/port.ts'
import {
  type DirectoryMarker,
  type DirectoryProgress,
  type DirectoryTimings,
  writeMarker,
  writeProgress,
} from './directory-marks.ts'
import { memberOf, readMembers, writeMembers } from './directory-members.ts'
import { planDirectory } from './directory-rank.ts'
import { prunePerson, putPerson, removePerson } from './directory-store.ts'

export interface DirectorySyncOptions {
  readonly crm: Pick<Crm, 'listPeople'>
  readonly kv: Kv
  readonly timings: DirectoryTimings
  readonly now?: () => number
  /** Called after every page read and every 500 people written, pruned or removed. */
  readonly onProgress?: (progress: DirectoryProgress) => void
  /** kv writes in flight at once. Default 8. */
  readonly parallel?: number
  /** Stops the sync between two steps (shutdown); it then fails without a marker. */
  readonly signal?: AbortSignal
}

/** What a full sync did: the marker it wrote, plus the work counts. */
export interface DirectorySyncResult extends DirectoryMarker {
  readonly written: number
  readonly evicted: number
  /** People a notification had already written (left alone). */
  readonly skipped: number
  /** Numbers two people share (the lower rank got them). */
  readonly shared: number
}

const modules: readonly PersonModule[] = ['Leads', 'Contacts']

/** Runs `work` on every item with at most `parallel` in flight. */
const eachLimited = async <T>(
  items: readonly T[],
  parallel: number,
  signal: AbortSignal | undefined,
  work: (item: T, index: number) => Promise<void>,
) => {
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      signal?.throwIfAborted()
      const index = next++
      await work(items[index] as T, index)
    }
  }
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, worker))
}

/**
 * Runs one full sync. Call it under the directory lock (directory-job.ts).
 * @example
 * ```ts
 * const result = await syncDirectory({ crm, kv, timings: directoryTimings(21_600_000) })
 * ```
 */
export const syncDirectory = async (
  options: DirectorySyncOptions,
): Promise<DirectorySyncResult> => {
  const { crm, kv, timings, now = Date.now, parallel = 8, signal } = options
  const startedAt = now()
  const progress: DirectoryProgress = {
    startedAt,
    updatedAt: startedAt,
    phase: 'reading',
    pages: 0,
    people: 0,
    done: 0,
  }
  const report = async (change: Partial<DirectoryProgress>) => {
    Object.assign(progress, change, { updatedAt: now() })
    options.onProgress?.({ ...progress })
    await writeProgress(kv, progress, timings.markerTtlMs)
  }
  try {
    const people: CrmPersonPhones[] = []
    for (const module of modules) {
      let next: string | undefined
      do {
        signal?.throwIfAborted()
        const page = await crm.listPeople(module, next)
        people.push(...page.people)
        next = page.next
        await report({ pages: progress.pages + 1, people: people.length })
      } while (next)
    }

    const plan = planDirectory(people)
    const since = startedAt
    const kept = new Map<CrmPersonPhones, readonly string[]>()
    let skipped = 0
    await report({ phase: 'writing', done: 0 })
    await eachLimited(people, parallel, signal, async (person, i) => {
      const won = plan.won.get(person) ?? []
      const put = await putPerson(kv, person, won, {
        ttlMs: timings.entryTtlMs,
        force: true,
        evict: false,
        since,
      })
      if (put.skipped) skipped += 1
      else kept.set(person, put.written)
      if ((i + 1) % 500 === 0) await report({ done: i + 1 })
    })

    let evicted = 0
    const written = [...kept.values()].reduce((sum, numbers) => sum + numbers.length, 0)
    await report({ phase: 'pruning', done: 0 })
    const survivors = [...kept]
    await eachLimited(survivors, parallel, signal, async ([person, keep], i) => {
      // Awaited first: `evicted += await ...` would read `evicted` before the other workers add.
      const pruned = await prunePerson(kv, person, keep, { ttlMs: timings.entryTtlMs, since })
      evicted += pruned.length
      if ((i + 1) % 500 === 0) await report({ done: i + 1 })
    })

    const members = people.map(memberOf)
    const current = new Set(members)
    const gone = [...((await readMembers(kv)) ?? [])].filter((member) => !current.has(member))
    await report({ phase: 'removing', done: 0 })
    await eachLimited(gone, parallel, signal, async (member) => {
      const at = member.indexOf(':')
      const person = { module: member.slice(0, at) as PersonModule, id: member.slice(at + 1) }
      const removed = await removePerson(kv, person, { since })
      evicted += removed.length
    })
    await writeMembers(kv, String(startedAt), members, timings.entryTtlMs)

    const completedAt = now()
    const marker: DirectoryMarker = {
      startedAt,
      completedAt,
      freshUntil: completedAt + timings.markerTtlMs,
      entryTtlMs: timings.entryTtlMs,
      leads: people.filter((person) => person.module === 'Leads').length,
      contacts: people.filter((person) => person.module === 'Contacts').length,
      numbers: plan.numbers,
      removedPeople: gone.length,
      unreadable: people.reduce((sum, person) => sum + person.unreadable, 0),
      pages: progress.pages,
    }
    await writeMarker(kv, marker, completedAt)
    await report({ phase: 'done', done: gone.length })
    return { ...marker, written, evicted, skipped, shared: plan.shared }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    await report({ phase: 'failed', error: message }).catch(() => undefined)
    throw error
  }
}
