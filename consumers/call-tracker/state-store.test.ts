import { describe, expect, it } from 'vitest'
import { createMemoryKv } from '../../platform/kv/memory.ts'
import { telephonySessionNotification } from '../../schemas/fixtures/ringcentral.ts'
import { foldEvent } from './fold.ts'
import { createSessionStore, SessionBusyError } from './state-store.ts'

const SESSION = 's-store0001'
const body = (sequence: number) =>
  telephonySessionNotification({
    sequence,
    telephonySessionId: SESSION,
    partyId: `p-${sequence}`,
    status: 'Setup',
  }).body

describe('session store', () => {
  it('loses no event when many updates of one session run at once', async () => {
    const kv = createMemoryKv()
    const store = createSessionStore({ kv })
    try {
      const sequences = Array.from({ length: 20 }, (_, i) => i + 1)
      await Promise.all(
        sequences.map((n) =>
          store.update(SESSION, (r) => ({ ...r, call: foldEvent(r.call, body(n)) })),
        ),
      )
      const stored = await store.get(SESSION)
      expect(stored?.call.sequences).toEqual(sequences)
      expect(Object.keys(stored?.call.parties ?? {})).toHaveLength(20)
    } finally {
      await kv.close()
    }
  })

  it('keeps the state with a TTL and starts over from an unreadable record', async () => {
    const kv = createMemoryKv()
    const store = createSessionStore({ kv, ttlMs: 60_000 })
    try {
      await store.update(SESSION, (r) => ({ ...r, call: foldEvent(r.call, body(1)) }))
      expect(await kv.ttl(`call-tracker:session:${SESSION}`)).toBeGreaterThan(50_000)
      await kv.set(`call-tracker:session:${SESSION}`, '{"not":"a record"}')
      expect(await store.get(SESSION)).toBeNull()
      const fresh = await store.update(SESSION, (r) => r)
      expect(fresh).toMatchObject({ endOwner: null, completed: false, call: { sequences: [] } })
    } finally {
      await kv.close()
    }
  })

  it('gives up with a retryable SessionBusyError while another worker holds the lock', async () => {
    const kv = createMemoryKv()
    const store = createSessionStore({ kv, lockWaitMs: 50 })
    try {
      const held = await kv.tryLock(`call-tracker:session-lock:${SESSION}`, 10_000)
      await expect(store.update(SESSION, (r) => r)).rejects.toBeInstanceOf(SessionBusyError)
      await held?.release()
      await expect(store.update(SESSION, (r) => r)).resolves.toMatchObject({ completed: false })
    } finally {
      await kv.close()
    }
  })
})
