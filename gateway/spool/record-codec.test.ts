import { describe, expect, it } from 'vitest'
import { decodeFrame, encodeRecord, FRAME_HEADER_BYTES } from './record-codec.ts'
import type { SpoolRecord } from './types.ts'

const record: SpoolRecord = {
  topic: 'calls.raw',
  key: 'call-1',
  value: '{"event":"ringing","note":"é ✓"}',
  headers: { ce_id: 'abc', traceparent: '00-1-2-01' },
  spooledAt: 1_700_000_000_000,
}

describe('record codec', () => {
  it('decodes exactly the record it encoded, reporting the frame size', () => {
    const frame = encodeRecord(record)
    expect(decodeFrame(frame, 0)).toEqual({ kind: 'record', record, size: frame.length })
  })

  it('reads consecutive frames from one buffer', () => {
    const second = { ...record, key: 'call-2' }
    const buffer = Buffer.concat([encodeRecord(record), encodeRecord(second)])
    const first = decodeFrame(buffer, 0)
    expect(first.kind).toBe('record')
    const next = decodeFrame(buffer, first.kind === 'record' ? first.size : 0)
    expect(next).toMatchObject({ kind: 'record', record: second })
  })

  it('reports a frame cut short as incomplete, with its full size once the header is there', () => {
    const frame = encodeRecord(record)
    expect(decodeFrame(frame.subarray(0, 5), 0)).toEqual({ kind: 'incomplete', size: null })
    expect(decodeFrame(frame.subarray(0, frame.length - 1), 0)).toEqual({
      kind: 'incomplete',
      size: frame.length,
    })
  })

  it('detects a flipped bit anywhere in the frame', () => {
    const frame = encodeRecord(record)
    for (const index of [0, 4, FRAME_HEADER_BYTES, FRAME_HEADER_BYTES + 10, frame.length - 1]) {
      const damaged = Buffer.from(frame)
      damaged[index] = (damaged[index] as number) ^ 0x10
      expect(decodeFrame(damaged, 0).kind, `byte ${index}`).not.toBe('record')
    }
  })

  it('treats zeroed space (a preallocated or torn tail) as not a record', () => {
    expect(decodeFrame(Buffer.alloc(64), 0).kind).toBe('corrupt')
  })
})
