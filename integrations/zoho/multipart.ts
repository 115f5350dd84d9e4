/**
 * @module integrations/zoho/multipart
 * A multipart/form-data body built as a stream around the caller's file stream, so a recording
 * goes to Zoho chunk by chunk and is never held in memory whole. The stream is pull-based: the
 * file is read only as fast as the socket drains (backpressure end to end). When the size is
 * known the exact Content-Length is computed; bytes beyond the declared size or `maxBytes` stop
 * the upload with FILE_TOO_LARGE.
 */
import { randomBytes } from 'node:crypto'
import { ZohoApiError } from './errors.ts'

/** A file part. */
export interface MultipartFile {
  readonly filename: string
  readonly contentType: string
  /** Exact byte count, when known. */
  readonly size?: number | undefined
  readonly body: ReadableStream<Uint8Array>
}

/** A streamed multipart body. */
export interface MultipartBody {
  /** `multipart/form-data; boundary=...` */
  readonly contentType: string
  /** Total bytes, when the file size is known. */
  readonly contentLength: number | undefined
  readonly stream: ReadableStream<Uint8Array>
}

const encoder = new TextEncoder()

const invalid = (message: string, field: string) =>
  new ZohoApiError({ code: 'INVALID_INPUT', status: 0, message, details: { api_name: field } })

/** A fresh random boundary (never found in the file with any practical probability). */
export const newBoundary = (): string => `----callbridge${randomBytes(16).toString('hex')}`

/** Escapes a filename for a Content-Disposition header the way browsers do (WHATWG). */
export const escapeFilename = (filename: string): string =>
  filename.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A')

const tooLarge = (limit: number) =>
  new ZohoApiError({
    code: 'FILE_TOO_LARGE',
    status: 0,
    message: `file is larger than ${limit} bytes`,
    details: { limit_bytes: limit },
  })

/**
 * Wraps `file` in a multipart/form-data body with one part named `field`.
 * @throws ZohoApiError `INVALID_INPUT` on an empty filename or a content type with line breaks.
 */
export const multipartBody = (
  field: string,
  file: MultipartFile,
  {
    maxBytes = Number.POSITIVE_INFINITY,
    boundary = newBoundary(),
  }: { maxBytes?: number; boundary?: string } = {},
): MultipartBody => {
  if (file.filename.trim() === '') throw invalid('attachment filename is empty', 'filename')
  if (!/^[^\s/]+\/[^\s]+(?:\s*;.*)?$/.test(file.contentType) || /[\r\n]/.test(file.contentType)) {
    throw invalid(`attachment content type is not valid: ${file.contentType}`, 'contentType')
  }
  const head = encoder.encode(
    `--${boundary}\r\n` +
      `Content-Disposition: form-data; name="${field}"; filename="${escapeFilename(file.filename)}"\r\n` +
      `Content-Type: ${file.contentType}\r\n\r\n`,
  )
  const tail = encoder.encode(`\r\n--${boundary}--\r\n`)
  const limit = Math.min(maxBytes, file.size ?? Number.POSITIVE_INFINITY)
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined
  let stage: 'head' | 'file' | 'done' = 'head'
  let sent = 0

  const stream = new ReadableStream<Uint8Array>(
    {
      pull: async (controller) => {
        if (stage === 'head') {
          stage = 'file'
          reader = file.body.getReader()
          controller.enqueue(head)
          return
        }
        if (stage !== 'file' || !reader) return
        const { done, value } = await reader.read()
        if (!done) {
          sent += value.byteLength
          if (sent > limit) {
            const error =
              file.size !== undefined && sent > file.size && file.size < maxBytes
                ? invalid(`file has more bytes than its declared size ${file.size}`, 'size')
                : tooLarge(maxBytes)
            await reader.cancel(error).catch(() => {})
            controller.error(error)
            stage = 'done'
            return
          }
          controller.enqueue(value)
          return
        }
        stage = 'done'
        if (file.size !== undefined && sent !== file.size) {
          controller.error(invalid(`file has ${sent} bytes, declared ${file.size}`, 'size'))
          return
        }
        controller.enqueue(tail)
        controller.close()
      },
      cancel: async (reason) => {
        stage = 'done'
        await (reader ?? file.body).cancel(reason)
      },
    },
    // Pull one chunk at a time: nothing is read ahead of what the socket accepts.
    { highWaterMark: 0 },
  )
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    contentLength:
      file.size === undefined ? undefined : head.byteLength + file.size + tail.byteLength,
    stream,
  }
}
