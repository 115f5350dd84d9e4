/**
 * @module integrations/ringcentral/recordings
 * Recording metadata and content (Heavy group). The content lies on a separate media host
 * (`contentUri` is absolute, e.g. https://media.ringcentral.com/…/content); it is fetched through
 * the SDK, which keeps absolute URLs and adds the bearer header, and handed back as the response's
 * body stream: never read into memory here.
 */
import type { Api } from './api.ts'
import { RingCentralResponseError } from './errors.ts'
import { type Recording, Recording as RecordingSchema } from './schemas.ts'

/** A recording's bytes as a stream. Consume or cancel it: it holds a connection open. */
export interface RecordingContent {
  readonly stream: ReadableStream<Uint8Array>
  /** `audio/mpeg` or `audio/wav` (as the media host says). */
  readonly contentType: string
  /** Bytes, when the media host sends Content-Length. */
  readonly contentLength?: number
}

/** Recording methods of the client. */
export interface RecordingsApi {
  /** `GET /account/~/recording/{id}`: `{ id, contentUri, contentType, duration }`. */
  recording(recordingId: string): Promise<Recording>
  /**
   * Streams a recording from its `contentUri` (from {@link RecordingsApi.recording} or a call-log
   * record). A missing recording right after a call is a 404 (`CMN-102`): retry later.
   */
  recordingContent(contentUri: string): Promise<RecordingContent>
}

/** Creates the {@link RecordingsApi}. */
export const createRecordingsApi = (api: Api): RecordingsApi => ({
  recording: (recordingId) =>
    api.json(
      'Heavy',
      {
        method: 'GET',
        url: `/restapi/v1.0/account/~/recording/${encodeURIComponent(recordingId)}`,
      },
      RecordingSchema,
    ),
  recordingContent: async (contentUri) => {
    const url = new URL(contentUri)
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new RingCentralResponseError(`recording contentUri is not an http(s) URL`)
    }
    const response = await api.send('Heavy', { method: 'GET', url: url.toString() })
    if (!response.body) throw new RingCentralResponseError('recording content has no body')
    const length = Number(response.headers.get('content-length') ?? Number.NaN)
    return {
      stream: response.body,
      contentType: response.headers.get('content-type') ?? 'application/octet-stream',
      ...(Number.isSafeInteger(length) && length >= 0 ? { contentLength: length } : {}),
    }
  },
})
