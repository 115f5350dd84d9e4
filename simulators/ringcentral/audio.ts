/**
 * @module simulators/ringcentral/audio
 * Deterministic audio/mpeg-looking bytes for recording content: an ID3v2 header, then 417-byte
 * MPEG-1 Layer III frames (128 kbit/s, 44.1 kHz header) with pseudo-random payload. Generated
 * chunk by chunk as the reader pulls, so large recordings never sit in memory.
 */

const FRAME_BYTES = 417
const FRAME_HEADER = [0xff, 0xfb, 0x90, 0x64] as const
const ID3_HEADER = [0x49, 0x44, 0x33, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00] as const

/** FNV-1a of a string: the seed of a recording's bytes. */
export const seedOf = (text: string): number => {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return hash || 1
}

/** Fills `out` with the bytes at positions `offset…` of the content seeded by `state`. */
const fill = (out: Uint8Array, offset: number, next: () => number) => {
  for (let i = 0; i < out.length; i++) {
    const position = offset + i
    if (position < ID3_HEADER.length) {
      out[i] = ID3_HEADER[position] ?? 0
      continue
    }
    const inFrame = (position - ID3_HEADER.length) % FRAME_BYTES
    out[i] = inFrame < FRAME_HEADER.length ? (FRAME_HEADER[inFrame] ?? 0) : next()
  }
}

/**
 * A stream of exactly `totalBytes` bytes, the same for the same `seed`.
 *
 * @example
 * ```ts
 * new Response(audioStream(seedOf('4100023'), 65_536), { headers: { 'content-type': 'audio/mpeg' } })
 * ```
 */
export const audioStream = (
  seed: number,
  totalBytes: number,
  chunkBytes = 16_384,
): ReadableStream<Uint8Array> => {
  let state = seed >>> 0 || 1
  // xorshift32, one byte per step
  const next = () => {
    state ^= state << 13
    state >>>= 0
    state ^= state >>> 17
    state ^= state << 5
    state >>>= 0
    return state & 0xff
  }
  let sent = 0
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const size = Math.min(chunkBytes, totalBytes - sent)
      if (size <= 0) {
        controller.close()
        return
      }
      const chunk = new Uint8Array(size)
      fill(chunk, sent, next)
      sent += size
      controller.enqueue(chunk)
    },
  })
}
