/**
 * @module simulators/ringcentral/recordings
 * Call recordings. Platform API: `GET /restapi/v1.0/account/{a}/recording/{id}` → `{id,
 * contentUri, contentType, duration}` (Heavy). Media API (its own server, as RingCentral's
 * media.ringcentral.com): `GET …/recording/{id}/content` streams audio/mpeg, authorised by bearer
 * header or `access_token` query (Heavy). Both are 404 CMN-102 until the recording is available.
 */
import { Hono } from 'hono'
import { audioStream, seedOf } from './audio.ts'
import { bearer, type SimEnv } from './bearer.ts'
import { invalidParameter, notFound, onRingCentralError, onUnknownPath } from './errors.ts'
import { limit, type RateLimiter } from './rate-limit.ts'
import { type RecordingEntry, resolveAccountId, type SimCore } from './state.ts'

const PATH = '/restapi/v1.0/account/:accountId/recording/:recordingId'

const availableRecording = (core: SimCore, accountParam: string, id: string): RecordingEntry => {
  resolveAccountId(core, accountParam)
  const recording = core.recordings.get(id)
  if (!recording || recording.availableAt > core.now()) throw notFound('recordingId')
  return recording
}

/** The media URL of a recording's content. */
export const contentUriOf = (core: SimCore, id: string): string =>
  `${core.urls.media}/restapi/v1.0/account/${core.config.accountId}/recording/${id}/content`

/** Recording metadata on the platform API (behind `bearer`). */
export const recordingRoutes = (core: SimCore, limiter: RateLimiter): Hono<SimEnv> => {
  const app = new Hono<SimEnv>()
  app.get(PATH, limit(limiter, 'Heavy'), (c) => {
    const recording = availableRecording(core, c.req.param('accountId'), c.req.param('recordingId'))
    return c.json({
      id: recording.id,
      contentUri: contentUriOf(core, recording.id),
      contentType: 'audio/mpeg',
      duration: recording.durationS,
    })
  })
  return app
}

/** The media app: recording content only. */
export const createMediaApp = (core: SimCore, limiter: RateLimiter): Hono => {
  const media = new Hono<SimEnv>()
  media.get(
    `${PATH}/content`,
    bearer(core, { allowQueryToken: true }),
    limit(limiter, 'Heavy'),
    (c) => {
      const recording = availableRecording(
        core,
        c.req.param('accountId'),
        c.req.param('recordingId'),
      )
      const disposition = c.req.query('contentDisposition')
      if (disposition !== undefined && disposition !== 'Inline' && disposition !== 'Attachment') {
        throw invalidParameter('contentDisposition')
      }
      const filename = c.req.query('contentDispositionFilename') ?? `${recording.id}.mp3`
      const size = core.config.recordingBytes
      return c.body(audioStream(seedOf(recording.id), size), 200, {
        'Content-Type': 'audio/mpeg',
        'Content-Length': String(size),
        ...(disposition === undefined
          ? {}
          : { 'Content-Disposition': `${disposition.toLowerCase()}; filename="${filename}"` }),
      })
    },
  )
  const app = new Hono()
  app.onError(onRingCentralError)
  app.notFound(onUnknownPath)
  app.route('/', media)
  return app
}
