/**
 * @module integrations/ringcentral/call-log
 * Call log reads (all in the Heavy group): records of one telephony session, a date range paged
 * lazily, and call-log sync (FSync, then ISync with the returned token). Pages are followed by
 * `navigation.nextPage` presence (RingCentral may omit totals), and only the path and query of that
 * link are used, so the bearer token only ever goes to the configured server.
 */
import type { Api } from './api.ts'
import type { Query } from './dispatcher.ts'
import { CallLogPage, type CallLogRecord, CallLogSyncResponse } from './schemas.ts'

/** `Simple` (default) or `Detailed` (adds `legs[]`). */
export type CallLogView = 'Simple' | 'Detailed'

/** Options for {@link CallLogApi.callLogByTelephonySession}. */
export interface CallLogBySessionOptions {
  readonly view?: CallLogView
  /** Company call log (default, needs FullCompanyCallLog) or the JWT user's own. */
  readonly account?: boolean
}

/** Options for {@link CallLogApi.callLog}. */
export interface CallLogRangeOptions {
  /** ISO 8601; RingCentral's default is dateTo − 24 h. */
  readonly dateFrom: string
  readonly dateTo: string
  /** 1–1000, default 100. */
  readonly perPage?: number
  readonly view?: CallLogView
  readonly account?: boolean
}

/** Options for {@link CallLogApi.callLogSync}. */
export interface CallLogSyncOptions {
  readonly syncType: 'FSync' | 'ISync'
  /** Required for ISync: the token of the previous sync. */
  readonly syncToken?: string
  /** FSync only: start of the period. */
  readonly dateFrom?: string
  /** FSync only: how many records (max 250). */
  readonly recordCount?: number
  readonly view?: CallLogView
}

/** Result of a sync: the records and the token for the next ISync. */
export interface CallLogSyncResult {
  readonly records: CallLogRecord[]
  readonly syncInfo: CallLogSyncResponse['syncInfo']
}

/** Call log methods of the client. */
export interface CallLogApi {
  /** Every record of a telephony session (several after transfers), all pages. */
  callLogByTelephonySession(
    telephonySessionId: string,
    options?: CallLogBySessionOptions,
  ): Promise<CallLogRecord[]>
  /** The records of a period, fetched page by page as the caller iterates. */
  callLog(options: CallLogRangeOptions): AsyncIterable<CallLogRecord>
  /**
   * Company call-log sync.
   * @throws SyncTokenExpiredError when the token expired or too much changed: do an FSync.
   */
  callLogSync(options: CallLogSyncOptions): Promise<CallLogSyncResult>
}

const callLogPath = (account: boolean | undefined) =>
  account === false
    ? '/restapi/v1.0/account/~/extension/~/call-log'
    : '/restapi/v1.0/account/~/call-log'

/** Path and query of a navigation link (the origin is dropped on purpose, see module doc). */
const relative = (uri: string): string => {
  const url = new URL(uri, 'http://relative.invalid')
  return `${url.pathname}${url.search}`
}

/** Creates the {@link CallLogApi}. */
export const createCallLogApi = (api: Api): CallLogApi => {
  async function* pages(path: string, query: Query): AsyncGenerator<CallLogRecord> {
    let page = await api.json('Heavy', { method: 'GET', url: path, query }, CallLogPage)
    yield* page.records
    const followed = new Set<string>()
    for (let next = page.navigation?.nextPage?.uri; next; next = page.navigation?.nextPage?.uri) {
      const url = relative(next)
      if (followed.has(url)) return // a server repeating a link must not loop us forever
      followed.add(url)
      page = await api.json('Heavy', { method: 'GET', url }, CallLogPage)
      yield* page.records
    }
  }

  return {
    callLogByTelephonySession: async (telephonySessionId, options = {}) => {
      const records: CallLogRecord[] = []
      const query = { telephonySessionId, view: options.view ?? 'Simple', perPage: 100 }
      for await (const record of pages(callLogPath(options.account), query)) records.push(record)
      return records
    },
    callLog: (options) =>
      pages(callLogPath(options.account), {
        dateFrom: options.dateFrom,
        dateTo: options.dateTo,
        perPage: options.perPage,
        view: options.view ?? 'Simple',
      }),
    callLogSync: async (options) => {
      const body = await api.json(
        'Heavy',
        {
          method: 'GET',
          url: '/restapi/v1.0/account/~/call-log-sync',
          query: {
            syncType: options.syncType,
            syncToken: options.syncToken,
            dateFrom: options.dateFrom,
            recordCount: options.recordCount,
            view: options.view,
          },
        },
        CallLogSyncResponse,
      )
      return { records: body.records, syncInfo: body.syncInfo }
    },
  }
}
