import { createHash } from 'node:crypto'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { afterEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { createMemoryKv } from '../../platform/kv/memory.ts'
import { simCredentials } from '../../simulators/zoho/testing.ts'
import { CrmTooLargeError } from '../crm/errors.ts'
import { createZohoClient } from './client.ts'
import { createZohoCrm } from './crm.ts'
import { useZohoHarness } from './harness-hook.ts'
import { generatedStream, type SimulatorProcess, startSimulatorProcess } from './testing.ts'

const MiB = 1024 * 1024

/**
 * Live external memory (ArrayBuffers) after a forced full GC, so garbage chunks do not count:
 * what is left is what the upload really holds.
 */
const liveArrayBuffers = (() => {
  setFlagsFromString('--expose-gc')
  const gc = runInNewContext('gc') as () => void
  return () => {
    gc()
    return process.memoryUsage().arrayBuffers
  }
})()

/** `GET /_sim/attachments`, as far as this test reads it. */
const SimAttachments = z.object({
  data: z.array(z.looseObject({ id: z.string(), size: z.number(), sha256: z.string().nullable() })),
})

describe('attachments', () => {
  const startHarness = useZohoHarness()
  let simProcess: SimulatorProcess | undefined
  afterEach(async () => {
    await simProcess?.close()
    simProcess = undefined
  })

  it('streams a 20 MB recording to Zoho with flat memory, byte for byte', async () => {
    // The simulator runs in its own process, so only the client's memory is measured here.
    simProcess = await startSimulatorProcess()
    const kv = createMemoryKv()
    const crm = createZohoCrm(
      createZohoClient({ accountsUrl: simProcess.url, ...simCredentials, kv }),
    )
    const lead = await crm.createLead({ lastName: 'Recorded', phone: '+14155550190' })
    const size = 20 * MiB
    const hash = createHash('sha256')
    const baseline = liveArrayBuffers()
    let produced = 0
    let peakHeld = 0
    const { id } = await crm.attachFile(lead, {
      filename: 'call-2025-01-10.wav',
      contentType: 'audio/wav',
      size,
      body: generatedStream(size, {
        onChunk: (bytes) => {
          hash.update(bytes)
          produced += bytes.byteLength
          // Every MiB, measure what is really held while the upload is under way.
          if (produced % MiB === 0) peakHeld = Math.max(peakHeld, liveArrayBuffers() - baseline)
        },
      }),
    })
    await kv.close()
    const listed = SimAttachments.parse(
      await (await fetch(`${simProcess.url}/_sim/attachments`)).json(),
    )
    const stored = listed.data.find((attachment) => attachment.id === id)
    expect(stored).toMatchObject({
      fileName: 'call-2025-01-10.wav',
      size,
      sha256: hash.digest('hex'),
    })
    // A client that held the file (or a copy of it) would be at ~20 MiB by the end.
    expect(peakHeld).toBeLessThan(8 * MiB)
  })

  it("maps Zoho's size limit to CrmTooLargeError", async () => {
    const harness = await startHarness({ attachmentMaxBytes: MiB })
    const crm = createZohoCrm(harness.client())
    const lead = await crm.createLead({ lastName: 'Long call', phone: '+14155550191' })
    const error = await crm
      .attachFile(lead, {
        filename: 'long.wav',
        contentType: 'audio/wav',
        body: generatedStream(3 * MiB),
      })
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(CrmTooLargeError)
    expect(error).toMatchObject({ code: 'FILE_SIZE_MORE_THAN_ALLOWED_SIZE', limitBytes: MiB })
    expect(harness.sim.state.attachments()).toEqual([])
  })

  it('refuses a file over the configured maximum before sending anything', async () => {
    const harness = await startHarness()
    const crm = createZohoCrm(harness.client({ maxAttachmentBytes: 2 * MiB }))
    const lead = await crm.createLead({ lastName: 'Huge', phone: '+14155550192' })
    const requests = harness.sim.stats().requests
    let pulled = 0
    const declared = await crm
      .attachFile(lead, {
        filename: 'huge.wav',
        contentType: 'audio/wav',
        size: 3 * MiB,
        body: generatedStream(3 * MiB, { onChunk: (bytes) => (pulled += bytes.byteLength) }),
      })
      .catch((caught: unknown) => caught)
    expect(declared).toBeInstanceOf(CrmTooLargeError)
    expect(declared).toMatchObject({ limitBytes: 2 * MiB })
    expect(harness.sim.stats().requests).toBe(requests)
    expect(pulled).toBe(0)
    // Without a declared size the stream is cut off once it passes the maximum.
    const streamed = await crm
      .attachFile(lead, {
        filename: 'huge.wav',
        contentType: 'audio/wav',
        body: generatedStream(3 * MiB),
      })
      .catch((caught: unknown) => caught)
    expect(streamed).toBeInstanceOf(CrmTooLargeError)
    expect(harness.sim.state.attachments()).toEqual([])
  })

  it('retries a 429 when it can open the file again, and sends a plain stream once', async () => {
    const harness = await startHarness()
    const client = harness.client()
    const { id: leadId } = await client.createLead({ lastName: 'Retry', phone: '+14155550193' })
    harness.sim.setFaults({ status429Rate: 1 })
    const once = await client
      .uploadAttachment('Leads', leadId, {
        filename: 'a.wav',
        contentType: 'audio/wav',
        body: generatedStream(1000),
      })
      .catch((caught: unknown) => caught)
    expect(once).toMatchObject({ code: 'TOO_MANY_REQUESTS', outcomeUnknown: false })
    expect(harness.sim.stats().served429).toBe(1)
    // Seed 7 draws 0.01, 0.06, 0.98: two 429s, then success.
    harness.sim.setFaults({ status429Rate: 0.5, seed: 7 })
    const refusedBefore = harness.sim.stats().served429
    let opened = 0
    const { id } = await client.uploadAttachment('Leads', leadId, {
      filename: 'b.wav',
      contentType: 'audio/wav',
      size: 1000,
      body: () => {
        opened += 1
        return generatedStream(1000)
      },
    })
    expect(harness.sim.state.attachments().map((attachment) => attachment.id)).toEqual([id])
    const refused = harness.sim.stats().served429 - refusedBefore
    expect(refused).toBe(2)
    expect(opened).toBe(3)
  })
})
