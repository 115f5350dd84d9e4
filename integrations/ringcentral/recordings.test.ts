import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { afterEach, describe, expect, it } from 'vitest'
import { createMemoryKv } from '../../platform/kv/memory.ts'
import { RingCentralApiError } from './errors.ts'
import { closeAll, replica, startSim } from './test-support.ts'

afterEach(closeAll)

const generous = { budgets: { Heavy: 10_000 } }

const recordedCall = {
  direction: 'Inbound',
  from: '+15550141',
  to: '+15550100',
  result: 'answered',
  durationS: 45,
  recording: true,
} as const

/** A forced garbage collection, so memory readings show what is still referenced. */
const collectGarbage = (): (() => void) => {
  setFlagsFromString('--expose-gc')
  return runInNewContext('gc') as () => void
}

describe('recordings', () => {
  it('reads the metadata, then streams the content from the media host', async () => {
    const rc = await startSim({
      rateLimits: false,
      callLogDelayMs: 0,
      recordingDelayMs: 0,
      recordingBytes: 100_000,
    })
    const client = replica(rc, createMemoryKv(), generous)
    const call = await rc.sim.placeCall(recordedCall)
    const [record] = await client.callLogByTelephonySession(call.telephonySessionId)
    const recordingId = record?.recording?.id ?? ''

    const meta = await client.recording(recordingId)
    expect(meta).toMatchObject({ id: recordingId, contentType: 'audio/mpeg', duration: 45 })
    expect(meta.contentUri.startsWith(rc.mediaUrl)).toBe(true)

    const content = await client.recordingContent(meta.contentUri)
    expect(content).toMatchObject({ contentType: 'audio/mpeg', contentLength: 100_000 })
    let bytes = 0
    for await (const chunk of content.stream) bytes += chunk.byteLength
    expect(bytes).toBe(100_000)
  })

  it('answers 404 CMN-102 while the recording is not available yet', async () => {
    const rc = await startSim({ rateLimits: false, callLogDelayMs: 0, recordingDelayMs: 60_000 })
    const client = replica(rc, createMemoryKv(), generous)
    const call = await rc.sim.placeCall(recordedCall)

    const error = await client.recording(call.recordingId ?? '').catch((e: unknown) => e)

    expect(error).toBeInstanceOf(RingCentralApiError)
    expect(error).toMatchObject({ status: 404, errorCode: 'CMN-102' })
  })

  it('streams a 20 MB recording chunk by chunk without holding it in memory', async () => {
    const size = 20 * 1024 * 1024
    const rc = await startSim({
      rateLimits: false,
      callLogDelayMs: 0,
      recordingDelayMs: 0,
      recordingBytes: size,
    })
    const client = replica(rc, createMemoryKv(), generous)
    const call = await rc.sim.placeCall(recordedCall)
    const meta = await client.recording(call.recordingId ?? '')
    const gc = collectGarbage()
    gc()
    const baseline = process.memoryUsage().arrayBuffers

    const content = await client.recordingContent(meta.contentUri)
    gc()
    const whenHandedOver = process.memoryUsage().arrayBuffers - baseline
    let bytes = 0
    let chunks = 0
    let peak = 0
    for await (const chunk of content.stream) {
      bytes += chunk.byteLength
      chunks += 1
      if (chunks % 50 === 0) {
        gc()
        peak = Math.max(peak, process.memoryUsage().arrayBuffers - baseline)
      }
    }

    expect(bytes).toBe(size)
    expect(chunks).toBeGreaterThan(100)
    // A client that buffered would hold all 20 MB when it hands the content over. Streaming, only
    // a few chunks are alive at a time; the simulator serving the file runs in this process too,
    // so its socket buffers count as well (a few MB at most, depending on scheduling).
    expect(whenHandedOver).toBeLessThan(size / 4)
    expect(peak).toBeLessThan(size / 2)
  })
})
