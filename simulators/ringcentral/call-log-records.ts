/**
 * @module simulators/ringcentral/call-log-records
 * Renders stored call-log entries as RingCentral call-log records (Simple or Detailed view, account
 * or extension URIs), and selects the entries a caller may see: only those whose delay has passed,
 * with the `recording` only once the recording is available.
 */
import { invalidParameter } from './errors.ts'
import { type CallLogEntry, iso, type SimCore } from './state.ts'

/** `account`: the company call log; otherwise the extension whose call log is read. */
export type CallLogLevel =
  | { readonly kind: 'account' }
  | { readonly kind: 'extension'; readonly extensionId: string }

/** Everything rendering needs besides the entry. */
export interface RenderContext {
  readonly origin: string
  readonly view: 'Simple' | 'Detailed'
  readonly level: CallLogLevel
}

/** Reads `view` (Simple by default). */
export const viewOf = (value: string | undefined): 'Simple' | 'Detailed' => {
  if (value === undefined || value === 'Simple') return 'Simple'
  if (value === 'Detailed') return 'Detailed'
  throw invalidParameter('view')
}

/** Reads an ISO 8601 date-time parameter. */
export const dateOf = (name: string, value: string | undefined): number | undefined => {
  if (value === undefined) return undefined
  const ms = Date.parse(value)
  if (Number.isNaN(ms)) throw invalidParameter(name)
  return ms
}

/** The entries visible now at `level` (delay elapsed), newest first. */
export const visibleEntries = (core: SimCore, level: CallLogLevel): CallLogEntry[] => {
  const now = core.now()
  return core.callLog
    .filter((e) => e.availableAt <= now)
    .filter((e) => level.kind === 'account' || e.extensionId === level.extensionId)
    .sort((a, b) => b.startMs - a.startMs || (a.id < b.id ? -1 : 1))
}

/** When the entry last changed as a reader sees it: it appeared, then its recording did. */
export const changeTimes = (entry: CallLogEntry): number[] =>
  entry.recording === undefined
    ? [entry.availableAt]
    : [entry.availableAt, entry.recording.availableAt]

/** Renders one entry. */
export const renderRecord = (core: SimCore, entry: CallLogEntry, ctx: RenderContext) => {
  const { accountId } = core.config
  const now = core.now()
  const account = `${ctx.origin}/restapi/v1.0/account/${accountId}`
  const extensionUri = `${account}/extension/${entry.extensionId}`
  const uri =
    ctx.level.kind === 'account'
      ? `${account}/call-log/${entry.id}`
      : `${extensionUri}/call-log/${entry.id}`
  const rec =
    entry.recording !== undefined && entry.recording.availableAt <= now
      ? entry.recording
      : undefined
  const extension = { uri: extensionUri, id: Number(entry.extensionId) }
  const common = {
    startTime: iso(entry.startMs),
    duration: Math.round(entry.durationMs / 1000),
    durationMs: entry.durationMs,
    type: 'Voice',
    direction: entry.direction,
    action: entry.action,
    result: entry.result,
    ...(entry.reason === undefined ? {} : { reason: entry.reason }),
    to: { ...entry.to },
    from: { ...entry.from },
    extension,
    telephonySessionId: entry.telephonySessionId,
    transport: 'PSTN',
  }
  const recording = rec && {
    uri: `${account}/recording/${rec.id}`,
    id: rec.id,
    type: 'Automatic',
    contentUri: `${core.urls.media}/restapi/v1.0/account/${accountId}/recording/${rec.id}/content`,
  }
  const record = {
    uri,
    id: entry.id,
    sessionId: entry.sessionId,
    ...common,
    partyId: entry.partyId,
    ...(recording === undefined ? {} : { recording }),
    ...(entry.messageId === undefined
      ? {}
      : {
          message: {
            uri: `${extensionUri}/message-store/${entry.messageId}`,
            id: entry.messageId,
            type: 'VoiceMail',
          },
        }),
  }
  if (ctx.view === 'Simple') return record
  const modified = Math.max(...changeTimes(entry).filter((t) => t <= now))
  return {
    ...record,
    billing: { costIncluded: 0, costPurchased: 0 },
    lastModifiedTime: iso(modified),
    legs: [
      {
        ...common,
        legType: entry.legType,
        master: true,
        ...(recording === undefined ? {} : { recording }),
      },
    ],
  }
}
