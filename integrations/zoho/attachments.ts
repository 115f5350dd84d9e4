/**
 * @module integrations/zoho/attachments
 * File attachments (call recordings): `POST /crm/v8/{module}/{id}/Attachments` with a streamed
 * multipart/form-data body whose part is named `file`. A plain stream is sent once (it cannot be
 * replayed); pass a function that opens the stream to let the client retry a 429. An attachment
 * is found again in the record's Attachments list by its file name.
 */
import { ZohoApiError } from './errors.ts'
import { type MultipartBody, multipartBody, newBoundary } from './multipart.ts'
import { apiBase, moduleName, recordId } from './paths.ts'
import { findRelated } from './related-list.ts'
import type { ZohoTransport } from './transport.ts'
import { writtenId } from './write-result.ts'

/** A file to upload. */
export interface AttachmentUpload {
  readonly filename: string
  readonly contentType: string
  /** Exact size in bytes when known: oversize files are refused before sending. */
  readonly size?: number | undefined
  /** The bytes, or a function that opens them afresh for each attempt (makes retries possible). */
  readonly body: ReadableStream<Uint8Array> | (() => ReadableStream<Uint8Array>)
}

/** Limits for uploads. */
export interface UploadSettings {
  readonly maxBytes: number
  readonly timeoutMs: number
}

/**
 * Uploads one attachment and returns its id.
 * @throws ZohoApiError `FILE_TOO_LARGE` when the declared size or the streamed bytes pass
 *   `maxBytes`; Zoho's `FILE_SIZE_MORE_THAN_ALLOWED_SIZE` when Zoho's own limit is lower.
 */
export const uploadAttachment = async (
  transport: ZohoTransport,
  module: string,
  id: string,
  file: AttachmentUpload,
  settings: UploadSettings,
): Promise<{ id: string }> => {
  const path = `${apiBase}/${moduleName(module)}/${recordId(id)}/Attachments`
  const replayable = typeof file.body === 'function'
  const source = file.body
  const open = () => (typeof source === 'function' ? source() : source)
  if (file.size !== undefined && file.size > settings.maxBytes) {
    if (!replayable) await open().cancel('too large')
    throw new ZohoApiError({
      code: 'FILE_TOO_LARGE',
      status: 0,
      message: `file is ${file.size} bytes, more than the ${settings.maxBytes} allowed`,
      details: { limit_bytes: settings.maxBytes },
    })
  }
  const boundary = newBoundary()
  const build = () =>
    multipartBody(
      'file',
      { filename: file.filename, contentType: file.contentType, size: file.size, body: open() },
      { maxBytes: settings.maxBytes, boundary },
    )
  // Built once up front (validates the name and type, fixes the headers); a retry of a
  // replayable body builds afresh with the same boundary, so the headers stay right.
  let first: MultipartBody | undefined
  try {
    first = build()
  } catch (error) {
    if (!replayable)
      await open()
        .cancel(error)
        .catch(() => {})
    throw error
  }
  const { contentType, contentLength } = first
  const sending = transport.request({
    operation: 'uploadAttachment',
    method: 'POST',
    path,
    timeoutMs: settings.timeoutMs,
    body: {
      contentType,
      contentLength,
      open: () => {
        const body = first ?? build()
        first = undefined
        return body.stream
      },
      replayable,
    },
  })
  let response: Awaited<typeof sending>
  try {
    response = await sending
  } finally {
    // Failed before sending (no token, no concurrency slot): let go of the caller's stream.
    if (first) await first.stream.cancel('not sent').catch(() => {})
  }
  return { id: writtenId(response, 'uploadAttachment') }
}

/** The attachment of `module`/`id` named `fileName` (with its size when Zoho gives it), or null. */
export const findAttachment = async (
  transport: ZohoTransport,
  module: string,
  id: string,
  fileName: string,
): Promise<{ id: string; size?: number } | null> => {
  const item = await findRelated(
    transport,
    { module, id, list: 'Attachments', fields: ['File_Name', 'Size'], operation: 'findAttachment' },
    (candidate) => candidate['File_Name'] === fileName,
  )
  if (!item) return null
  // Zoho gives Size as a string of bytes.
  const raw = item['Size']
  const size = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw
  return typeof size === 'number' && Number.isSafeInteger(size) && size >= 0
    ? { id: item.id, size }
    : { id: item.id }
}
