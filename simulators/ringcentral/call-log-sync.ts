/**
 * @module simulators/ringcentral/call-log-sync
 * `GET /restapi/v1.0/account/{a}/call-log-sync` and `…/extension/{e}/call-log-sync`, Heavy group.
 * FSync (default): `recordCount` (1–250) required, optional `dateFrom`, `statusGroup`
 * (Missed|All; Missed includes voicemails). ISync: `syncToken` required; returns the records that
 * appeared or changed (their recording arrived) since the token, at most 250 (else 400 CMN-101
 * "max sync record number limit is exceeded"). Tokens issued before `expireSyncTokens` fail with
 * 400 CLG-101. ISync's `recordCount` (extend the frame into the past) is not simulated.
 */
import { type Context, Hono } from 'hono'
import { z } from 'zod'
import type { SimEnv } from './bearer.ts'
import {
  type CallLogLevel,
  changeTimes,
  dateOf,
  renderRecord,
  viewOf,
  visibleEntries,
} from './call-log-records.ts'
import { apiError, invalidParameter } from './errors.ts'
import { limit, type RateLimiter } from './rate-limit.ts'
import {
  type CallLogEntry,
  canonicalUrl,
  iso,
  resolveAccountId,
  resolveExtensionId,
  type SimCore,
} from './state.ts'

/** Most records one sync answer may carry. */
export const maxSyncRecords = 250

/** What a sync token remembers: when, which frame, which epoch. */
const SyncToken = z.object({
  e: z.number().int(),
  t: z.number(),
  f: z.number().nullable(),
  g: z.enum(['Missed', 'All']),
  l: z.string(),
})
type SyncToken = z.infer<typeof SyncToken>

const encode = (token: SyncToken) => Buffer.from(JSON.stringify(token)).toString('base64url')

const decode = (value: string): SyncToken => {
  try {
    return SyncToken.parse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')))
  } catch {
    throw invalidParameter('syncToken')
  }
}

const levelKey = (level: CallLogLevel) =>
  level.kind === 'account' ? '~account' : level.extensionId

const inFrame = (entry: CallLogEntry, frame: { f: number | null; g: 'Missed' | 'All' }) =>
  (frame.f === null || entry.startMs >= frame.f) &&
  (frame.g === 'All' || entry.result === 'Missed' || entry.result === 'Voicemail')

const sync = (core: SimCore, c: Context<SimEnv>, level: CallLogLevel) => {
  const q = (name: string) => c.req.query(name)
  const view = viewOf(q('view'))
  const syncType = q('syncType') ?? 'FSync'
  const now = core.now()
  const url = canonicalUrl(core, c.req.url, c.get('session').ownerId)
  let records: CallLogEntry[]
  let frame: { f: number | null; g: 'Missed' | 'All' }
  if (syncType === 'FSync') {
    const count = Number(q('recordCount'))
    if (!Number.isInteger(count) || count < 1 || count > maxSyncRecords)
      throw invalidParameter('recordCount')
    const group = q('statusGroup') ?? 'All'
    if (group !== 'All' && group !== 'Missed') throw invalidParameter('statusGroup')
    frame = { f: dateOf('dateFrom', q('dateFrom')) ?? null, g: group }
    records = visibleEntries(core, level)
      .filter((e) => inFrame(e, frame))
      .slice(0, count)
  } else if (syncType === 'ISync') {
    const value = q('syncToken')
    if (!value) throw invalidParameter('syncToken')
    const token = decode(value)
    if (token.l !== levelKey(level)) throw invalidParameter('syncToken')
    if (token.e !== core.syncEpoch) {
      throw apiError(
        400,
        'CLG-101',
        'Parameter [syncToken] is invalid [Sync token expired, call log was reset]',
        {
          parameterName: 'syncToken',
        },
      )
    }
    frame = { f: token.f, g: token.g }
    records = visibleEntries(core, level).filter(
      (e) => inFrame(e, frame) && changeTimes(e).some((t) => t > token.t && t <= now),
    )
    if (records.length > maxSyncRecords) {
      throw apiError(
        400,
        'CMN-101',
        'Parameter [syncToken] is invalid [max sync record number limit is exceeded]',
        {
          parameterName: 'syncToken',
        },
      )
    }
  } else {
    throw invalidParameter('syncType')
  }
  const ctx = { origin: url.origin, view, level }
  return {
    uri: url.toString(),
    records: records.map((e) => renderRecord(core, e, ctx)),
    syncInfo: {
      syncType,
      syncToken: encode({ e: core.syncEpoch, t: now, f: frame.f, g: frame.g, l: levelKey(level) }),
      syncTime: iso(now),
    },
  }
}

/** The call-log sync routes (behind `bearer`). */
export const callLogSyncRoutes = (core: SimCore, limiter: RateLimiter): Hono<SimEnv> => {
  const app = new Hono<SimEnv>()
  const a = '/restapi/v1.0/account/:accountId'
  app.get(`${a}/call-log-sync`, limit(limiter, 'Heavy'), (c) => {
    resolveAccountId(core, c.req.param('accountId'))
    return c.json(sync(core, c, { kind: 'account' }))
  })
  app.get(`${a}/extension/:extensionId/call-log-sync`, limit(limiter, 'Heavy'), (c) => {
    resolveAccountId(core, c.req.param('accountId'))
    const id = resolveExtensionId(core, c.req.param('extensionId'), c.get('session').ownerId)
    return c.json(sync(core, c, { kind: 'extension', extensionId: id }))
  })
  return app
}
