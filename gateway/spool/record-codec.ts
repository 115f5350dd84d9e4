/**
 * @module gateway/spool/record-codec
 * The on-disk frame of one spooled record:
 *
 * ```
 * u32le payloadLength | u32le crc32(lengthBytes ‖ payload) | payload
 * payload = u8 formatVersion (1) ‖ UTF-8 JSON {t, k, v, h, s}
 * ```
 *
 * The CRC covers the length too, so a torn or bit-flipped frame, including a damaged length, is
 * detected instead of being misread as a shorter or longer record.
 */
import { crc32 } from 'node:zlib'
import type { SpoolRecord } from './types.ts'

/** Bytes before the payload: length + CRC. */
export const FRAME_HEADER_BYTES = 8
/** Largest payload accepted on append and believed on read (a larger length means corruption). */
export const MAX_PAYLOAD_BYTES = 64 * 1024 * 1024
const FORMAT_VERSION = 1

interface Payload {
  readonly t: string
  readonly k: string
  readonly v: string
  readonly h: Record<string, string>
  readonly s: number
}

/** Encodes one record as a complete frame. Throws RangeError if it exceeds MAX_PAYLOAD_BYTES. */
export const encodeRecord = (record: SpoolRecord): Buffer => {
  const payload: Payload = {
    t: record.topic,
    k: record.key,
    v: record.value,
    h: { ...record.headers },
    s: record.spooledAt,
  }
  const json = Buffer.from(JSON.stringify(payload), 'utf8')
  const length = json.length + 1
  if (length > MAX_PAYLOAD_BYTES)
    throw new RangeError(`spool record of ${length} bytes is too large`)
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + length)
  frame.writeUInt32LE(length, 0)
  frame.writeUInt8(FORMAT_VERSION, FRAME_HEADER_BYTES)
  json.copy(frame, FRAME_HEADER_BYTES + 1)
  frame.writeUInt32LE(frameCrc(frame, 0, length), 4)
  return frame
}

const frameCrc = (buffer: Buffer, offset: number, length: number): number =>
  crc32(
    buffer.subarray(offset + FRAME_HEADER_BYTES, offset + FRAME_HEADER_BYTES + length),
    crc32(buffer.subarray(offset, offset + 4)),
  )

/** Result of decoding the frame at an offset of a buffer. */
export type Decoded =
  /** A valid record; `size` is the whole frame's size. */
  | { readonly kind: 'record'; readonly record: SpoolRecord; readonly size: number }
  /** The buffer ends inside the frame; `size` is the frame's size if its header was readable. */
  | { readonly kind: 'incomplete'; readonly size: number | null }
  /** Not a valid frame (bad length, CRC or content). */
  | { readonly kind: 'corrupt'; readonly reason: string }

/** Decodes the frame starting at `offset`. Never throws. */
export const decodeFrame = (buffer: Buffer, offset: number): Decoded => {
  const available = buffer.length - offset
  if (available < FRAME_HEADER_BYTES) return { kind: 'incomplete', size: null }
  const length = buffer.readUInt32LE(offset)
  if (length < 2 || length > MAX_PAYLOAD_BYTES) {
    return { kind: 'corrupt', reason: `implausible record length ${length}` }
  }
  const size = FRAME_HEADER_BYTES + length
  if (available < size) return { kind: 'incomplete', size }
  if (frameCrc(buffer, offset, length) !== buffer.readUInt32LE(offset + 4)) {
    return { kind: 'corrupt', reason: 'CRC mismatch' }
  }
  const version = buffer.readUInt8(offset + FRAME_HEADER_BYTES)
  if (version !== FORMAT_VERSION) return { kind: 'corrupt', reason: `unknown format ${version}` }
  const json = buffer.toString('utf8', offset + FRAME_HEADER_BYTES + 1, offset + size)
  const record = parsePayload(json)
  return record ? { kind: 'record', record, size } : { kind: 'corrupt', reason: 'invalid payload' }
}

const isStringMap = (value: unknown): value is Record<string, string> =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.values(value).every((v) => typeof v === 'string')

const parsePayload = (json: string): SpoolRecord | null => {
  let parsed: unknown
  try {
    parsed = JSON.parse(json)
  } catch {
    return null
  }
  if (typeof parsed !== 'object' || parsed === null) return null
  const { t, k, v, h, s } = parsed as Partial<Record<keyof Payload, unknown>>
  if (typeof t !== 'string' || typeof k !== 'string' || typeof v !== 'string') return null
  if (!isStringMap(h) || typeof s !== 'number' || !Number.isFinite(s)) return null
  return { topic: t, key: k, value: v, headers: h, spooledAt: s }
}
