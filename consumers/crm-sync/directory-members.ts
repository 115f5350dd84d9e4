/**
 * @module consumers/crm-sync/directory-members
 * Who was in the last complete full sync: `module:id` of every person, in chunks of 1,000 under
 * `crm-sync:directory:members:<generation>:<n>`, with a pointer `crm-sync:directory:members`
 * naming the generation. The next sync removes the numbers of people in it that are gone (deleted
 * without a notification reaching crm-sync). The pointer moves only after the new chunks are
 * written; the old chunks are deleted after it moved.
 */
import { z } from 'zod'
import type { Kv } from '../../platform/kv/port.ts'
import { parseJson } from '../lead-matcher/phone-keys.ts'

const pointerKey = 'crm-sync:directory:members'
const chunkKey = (generation: string, n: number) => `${pointerKey}:${generation}:${n}`
const CHUNK = 1000

const Pointer = z.object({ generation: z.string(), chunks: z.number().int().nonnegative() })
const Chunk = z.array(z.string())

/** `Leads:4876876000000123` */
export const memberOf = (person: { module: string; id: string }) => `${person.module}:${person.id}`

/** The people of the last complete sync; null when there was none or a chunk is missing. */
export const readMembers = async (kv: Kv): Promise<Set<string> | null> => {
  const pointer = parseJson(Pointer, await kv.get(pointerKey))
  if (!pointer) return null
  const members = new Set<string>()
  for (let n = 0; n < pointer.chunks; n += 1) {
    const chunk = parseJson(Chunk, await kv.get(chunkKey(pointer.generation, n)))
    if (!chunk) return null
    for (const member of chunk) members.add(member)
  }
  return members
}

/** Stores `members` as the new generation and drops the previous one. */
export const writeMembers = async (
  kv: Kv,
  generation: string,
  members: readonly string[],
  ttlMs: number,
): Promise<void> => {
  const previous = parseJson(Pointer, await kv.get(pointerKey))
  const chunks = Math.ceil(members.length / CHUNK)
  for (let n = 0; n < chunks; n += 1) {
    const chunk = members.slice(n * CHUNK, (n + 1) * CHUNK)
    await kv.set(chunkKey(generation, n), JSON.stringify(chunk), ttlMs)
  }
  await kv.set(pointerKey, JSON.stringify({ generation, chunks }), ttlMs)
  if (previous && previous.generation !== generation) {
    for (let n = 0; n < previous.chunks; n += 1) await kv.delete(chunkKey(previous.generation, n))
  }
}
