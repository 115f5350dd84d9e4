/**
 * @module simulators/zoho/multipart
 * A streaming `multipart/form-data` reader: parts are handed over chunk by chunk as the body
 * arrives, so an upload is never held in memory (only a delimiter-sized tail and one part's
 * headers, at most 16 KiB, are buffered).
 */

export interface PartInfo {
  readonly name: string | null
  readonly filename: string | null
  readonly contentType: string | null
}

/** Receives one part's bytes. */
export interface PartSink {
  write(chunk: Uint8Array): void
  end(): void
}

export class MultipartError extends Error {}

const MAX_HEADER_BYTES = 16 * 1024
const CRLF = Buffer.from('\r\n')
const HEADER_END = Buffer.from('\r\n\r\n')

/** The boundary of a `multipart/form-data` content type, or null. */
export const boundaryOf = (contentType: string): string | null => {
  if (!/^multipart\/form-data/i.test(contentType)) return null
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType)
  return match?.[1] ?? match?.[2] ?? null
}

const parseHeaders = (block: string): PartInfo => {
  let disposition = ''
  let contentType: string | null = null
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':')
    const name = line.slice(0, colon).trim().toLowerCase()
    const value = line.slice(colon + 1).trim()
    if (name === 'content-disposition') disposition = value
    if (name === 'content-type') contentType = value
  }
  const param = (key: string) =>
    new RegExp(`(?:^|;)\\s*${key}="([^"]*)"`, 'i').exec(disposition)?.[1] ??
    new RegExp(`(?:^|;)\\s*${key}=([^;]*)`, 'i').exec(disposition)?.[1]?.trim() ??
    null
  return { name: param('name'), filename: param('filename'), contentType }
}

/**
 * Reads `body` and calls `onPart` for each part; the returned sink gets the part's bytes.
 * Rejects with {@link MultipartError} on a malformed body.
 */
export const readMultipart = async (
  body: ReadableStream<Uint8Array>,
  boundary: string,
  onPart: (part: PartInfo) => PartSink,
): Promise<void> => {
  const delimiter = Buffer.from(`\r\n--${boundary}`)
  // The first delimiter has no leading CRLF: pretend it had one.
  let buffer: Buffer = Buffer.from(CRLF)
  type Phase = 'preamble' | 'after' | 'headers' | 'body' | 'done'
  // Changed inside step(): annotate so narrowing does not assume it stays 'preamble'.
  let phase = 'preamble' as Phase
  let sink: PartSink | null = null

  const step = (): boolean => {
    switch (phase) {
      case 'preamble': {
        const at = buffer.indexOf(delimiter)
        if (at < 0) {
          buffer = buffer.subarray(Math.max(0, buffer.length - delimiter.length))
          return false
        }
        buffer = buffer.subarray(at + delimiter.length)
        phase = 'after'
        return true
      }
      case 'after': {
        if (buffer.length < 2) return false
        const next = buffer.subarray(0, 2).toString('latin1')
        buffer = buffer.subarray(2)
        if (next === '--') phase = 'done'
        else if (next === '\r\n') phase = 'headers'
        else throw new MultipartError('malformed delimiter')
        return true
      }
      case 'headers': {
        const at = buffer.indexOf(HEADER_END)
        if (at < 0) {
          if (buffer.length > MAX_HEADER_BYTES) throw new MultipartError('part headers too long')
          return false
        }
        sink = onPart(parseHeaders(buffer.subarray(0, at).toString('utf8')))
        buffer = buffer.subarray(at + HEADER_END.length)
        phase = 'body'
        return true
      }
      case 'body': {
        const at = buffer.indexOf(delimiter)
        if (at < 0) {
          const keep = delimiter.length - 1
          if (buffer.length > keep) {
            sink?.write(buffer.subarray(0, buffer.length - keep))
            buffer = buffer.subarray(buffer.length - keep)
          }
          return false
        }
        if (at > 0) sink?.write(buffer.subarray(0, at))
        sink?.end()
        sink = null
        buffer = buffer.subarray(at + delimiter.length)
        phase = 'after'
        return true
      }
      case 'done':
        buffer = Buffer.alloc(0)
        return false
    }
  }

  const reader = body.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    buffer = buffer.length === 0 ? Buffer.from(value) : Buffer.concat([buffer, value])
    while (step()) {}
  }
  while (step()) {}
  if (phase !== 'done') throw new MultipartError('unexpected end of multipart body')
}
