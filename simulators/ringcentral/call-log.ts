/**
 * @module simulators/ringcentral/call-log
 * `GET /restapi/v1.0/account/{a}/call-log` and `…/extension/{e}/call-log` (+ `/{callRecordId}`),
 * Heavy group. Filters: dateFrom (default dateTo − 24 h), dateTo (default now), direction[],
 * type[], telephonySessionId, sessionId, extensionNumber, phoneNumber (digits, no `+`),
 * recordingType (or the deprecated withRecording). Pages by `page`/`perPage` (default 100, `max`
 * or > 1000 → 1000) with `navigation` links; `paging` omits totals, so clients page by
 * `navigation.nextPage`.
 */
import { type Context, Hono } from 'hono'
import type { SimEnv } from './bearer.ts'
import {
  type CallLogLevel,
  dateOf,
  renderRecord,
  viewOf,
  visibleEntries,
} from './call-log-records.ts'
import { invalidParameter, notFound } from './errors.ts'
import { limit, type RateLimiter } from './rate-limit.ts'
import {
  type CallLogEntry,
  canonicalUrl,
  resolveAccountId,
  resolveExtensionId,
  type SimCore,
} from './state.ts'

const DAY_MS = 86_400_000

const positiveInt = (name: string, value: string | undefined, fallback: number): number => {
  if (value === undefined) return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw invalidParameter(name)
  return n
}

const perPageOf = (value: string | undefined): number =>
  value === 'max' ? 1000 : Math.min(1000, positiveInt('perPage', value, 100))

const digits = (n: string | undefined) => (n ?? '').replace(/\D/g, '')

const oneOf = <T extends string>(
  name: string,
  values: readonly string[],
  allowed: readonly T[],
): T[] =>
  values.map((value) => {
    const known = allowed.find((a) => a === value)
    if (known === undefined) throw invalidParameter(name)
    return known
  })

const filterEntries = (core: SimCore, c: Context<SimEnv>, level: CallLogLevel): CallLogEntry[] => {
  const q = (name: string) => c.req.query(name)
  const dateTo = dateOf('dateTo', q('dateTo')) ?? core.now()
  const dateFrom = dateOf('dateFrom', q('dateFrom')) ?? dateTo - DAY_MS
  const directions = oneOf('direction', c.req.queries('direction') ?? [], ['Inbound', 'Outbound'])
  const types = oneOf('type', c.req.queries('type') ?? [], ['Voice', 'Fax'])
  const recordingType = q('recordingType') ?? (q('withRecording') === 'true' ? 'All' : undefined)
  if (recordingType !== undefined)
    oneOf('recordingType', [recordingType], ['Automatic', 'OnDemand', 'All'])
  const telephonySessionId = q('telephonySessionId')
  const sessionId = q('sessionId')
  const extensionNumber = q('extensionNumber')
  const phoneNumber = q('phoneNumber')
  const now = core.now()
  return visibleEntries(core, level).filter((e) => {
    if (e.startMs < dateFrom || e.startMs > dateTo) return false
    if (directions.length > 0 && !directions.includes(e.direction)) return false
    if (types.length > 0 && !types.includes('Voice')) return false
    if (telephonySessionId !== undefined && e.telephonySessionId !== telephonySessionId)
      return false
    if (sessionId !== undefined && e.sessionId !== sessionId) return false
    if (
      extensionNumber !== undefined &&
      ![e.from, e.to].some((p) => p.extensionNumber === extensionNumber)
    ) {
      return false
    }
    if (
      phoneNumber !== undefined &&
      ![e.from, e.to].some((p) => digits(p.phoneNumber) === digits(phoneNumber))
    ) {
      return false
    }
    const recorded = e.recording !== undefined && e.recording.availableAt <= now
    if (recordingType === 'All' || recordingType === 'Automatic') return recorded
    if (recordingType === 'OnDemand') return false
    return true
  })
}

const listPage = (core: SimCore, c: Context<SimEnv>, level: CallLogLevel) => {
  const view = viewOf(c.req.query('view'))
  const perPage = perPageOf(c.req.query('perPage'))
  const page = positiveInt('page', c.req.query('page'), 1)
  const entries = filterEntries(core, c, level)
  const url = canonicalUrl(core, c.req.url, c.get('session').ownerId)
  const pageUri = (n: number) => {
    const u = new URL(url)
    u.searchParams.set('page', String(n))
    u.searchParams.set('perPage', String(perPage))
    return { uri: u.toString() }
  }
  const start = (page - 1) * perPage
  const slice = entries.slice(start, start + perPage)
  const ctx = { origin: url.origin, view, level }
  return {
    uri: pageUri(page).uri,
    records: slice.map((e) => renderRecord(core, e, ctx)),
    paging: {
      page,
      perPage,
      ...(slice.length === 0 ? {} : { pageStart: start, pageEnd: start + slice.length - 1 }),
    },
    navigation: {
      firstPage: pageUri(1),
      ...(start + perPage < entries.length ? { nextPage: pageUri(page + 1) } : {}),
      ...(page > 1 ? { previousPage: pageUri(page - 1) } : {}),
    },
  }
}

const oneRecord = (core: SimCore, c: Context<SimEnv>, level: CallLogLevel) => {
  const view = viewOf(c.req.query('view'))
  const id = c.req.param('callRecordId')
  const entry = visibleEntries(core, level).find((e) => e.id === id)
  if (!entry) throw notFound('callRecordId')
  return renderRecord(core, entry, { origin: new URL(c.req.url).origin, view, level })
}

/** The call-log routes (behind `bearer`). */
export const callLogRoutes = (core: SimCore, limiter: RateLimiter): Hono<SimEnv> => {
  const app = new Hono<SimEnv>()
  const heavy = limit(limiter, 'Heavy')
  const account = (c: Context<SimEnv>): CallLogLevel => {
    resolveAccountId(core, c.req.param('accountId') ?? '')
    return { kind: 'account' }
  }
  const extension = (c: Context<SimEnv>): CallLogLevel => {
    resolveAccountId(core, c.req.param('accountId') ?? '')
    const id = resolveExtensionId(core, c.req.param('extensionId') ?? '', c.get('session').ownerId)
    return { kind: 'extension', extensionId: id }
  }
  const a = '/restapi/v1.0/account/:accountId'
  app.get(`${a}/call-log`, heavy, (c) => c.json(listPage(core, c, account(c))))
  app.get(`${a}/call-log/:callRecordId`, heavy, (c) => c.json(oneRecord(core, c, account(c))))
  app.get(`${a}/extension/:extensionId/call-log`, heavy, (c) =>
    c.json(listPage(core, c, extension(c))),
  )
  app.get(`${a}/extension/:extensionId/call-log/:callRecordId`, heavy, (c) =>
    c.json(oneRecord(core, c, extension(c))),
  )
  return app
}
