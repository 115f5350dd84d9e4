/**
 * The load generator for bench:ingest (autocannon): POSTs RingCentral notifications with a fresh
 * uuid each, and remembers which ids were answered 2xx so the run can check Kafka afterwards.
 */
import autocannon from 'autocannon'
import { genericNotification } from '../schemas/fixtures/ringcentral.ts'

export interface LoadResult {
  readonly requestsPerSecond: number
  readonly p50Ms: number
  readonly p99Ms: number
  readonly total: number
  readonly non2xx: number
  readonly errors: number
  readonly timeouts: number
  /** ids (`rc:<uuid>`) the server answered 2xx. */
  readonly acceptedIds: Set<string>
}

export interface LoadOptions {
  readonly url: string
  readonly token: string
  readonly seconds: number
  readonly connections: number
  /** Fixed offered load (requests per second); unset = as fast as possible. */
  readonly rate?: number
  readonly runId: string
}

export const drive = async ({
  url,
  token,
  seconds,
  connections,
  rate,
  runId,
}: LoadOptions): Promise<LoadResult> => {
  let counter = 0
  const acceptedIds = new Set<string>()
  const result = await autocannon({
    url: `${url}/webhooks/ringcentral`,
    connections,
    duration: seconds,
    ...(rate ? { overallRate: rate } : {}),
    timeout: 10,
    requests: [
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=UTF-8',
          'verification-token': token,
        },
        setupRequest: (request) => {
          counter += 1
          return {
            ...request,
            body: JSON.stringify(genericNotification({ uuid: `${runId}-${counter}` })),
          }
        },
        onResponse: (status, body) => {
          if (status >= 200 && status < 300) {
            const id = (JSON.parse(body) as { id?: string }).id
            if (id) acceptedIds.add(id)
          }
        },
      },
    ],
  })
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    acceptedIds,
  }
}
