/**
 * @module simulators/zoho/limits
 * Zoho's API limits around every CRM call, in this order: injected faults (seeded 429/500), the
 * per-org concurrency limit, the sub-concurrency of search, COQL and writes of more than 10
 * records, and the rolling 24-hour credits. Any of them refused is HTTP 429 TOO_MANY_REQUESTS
 * with no Retry-After (none is documented). `latencyMs` is spent inside the slot, so a benchmark
 * sees concurrency. Credits: 1 per call, writes 1 per 10 records; `X-API-CREDITS-REMAINING` is
 * sent once more than half the credits are spent.
 */
import type { Context, MiddlewareHandler } from 'hono'
import { seededRandom } from '../shared/seeded-random.ts'
import { jsonBody } from './body.ts'
import { coqlPath } from './coql.ts'
import { errors } from './errors.ts'
import type { ResolvedOptions } from './options.ts'
import type { SimState } from './state.ts'

const DAY_MS = 24 * 60 * 60 * 1000

/** Injected failures: a share of calls answered 429 or 500, drawn from a seeded PRNG. */
export interface Faults {
  status429Rate: number
  status500Rate: number
  random: () => number
}

export const createFaults = (): Faults => ({
  status429Rate: 0,
  status500Rate: 0,
  random: seededRandom(1),
})

/** Number of records in a JSON `data[]` body, or 0 (Hono caches the body text for the route). */
const recordCount = async (c: Context): Promise<number> => {
  if (!['POST', 'PUT', 'PATCH'].includes(c.req.method)) return 0
  if (!(c.req.header('content-type') ?? '').includes('json')) return 0
  const body = await jsonBody(c)
  if (typeof body !== 'object' || body === null || !('data' in body)) return 0
  return Array.isArray(body.data) ? body.data.length : 0
}

/** Credits spent in the last 24 h: drops older entries, keeping a running total (O(1) amortised). */
const creditWindow = (state: SimState) => {
  let total = state.credits.reduce((sum, entry) => sum + entry.cost, 0)
  return {
    used(now: number): number {
      while (state.credits.length > 0 && (state.credits[0]?.at ?? now) <= now - DAY_MS) {
        total -= state.credits.shift()?.cost ?? 0
      }
      return total
    },
    spend(at: number, cost: number) {
      state.credits.push({ at, cost })
      total += cost
    },
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

export const crmLimits = (
  state: SimState,
  options: ResolvedOptions,
  faults: Faults,
): MiddlewareHandler => {
  const credits = creditWindow(state)
  return async (c, next) => {
    const roll = faults.random()
    if (roll < faults.status500Rate) throw errors.internal()
    if (roll < faults.status500Rate + faults.status429Rate) {
      throw errors.tooManyRequests('too many requests (injected fault)')
    }
    const records = await recordCount(c)
    const sub = c.req.path.endsWith('/search') || c.req.path === coqlPath || records > 10
    const cost = Math.max(1, Math.ceil(records / 10))
    // From here to the increments there is no await: checks and slots are atomic.
    if (state.inFlight >= options.concurrencyLimit) {
      throw errors.tooManyRequests('the concurrency limit of the org for the app is exceeded')
    }
    if (sub && state.searchInFlight >= options.searchConcurrencyLimit) {
      throw errors.tooManyRequests('the sub-concurrency limit of the org for the app is exceeded')
    }
    const now = options.now()
    const used = credits.used(now)
    if (used + cost > options.dailyCredits) {
      throw errors.tooManyRequests('Number of API requests for the 24 hour period is exceeded')
    }
    credits.spend(now, cost)
    state.stats.creditsUsed += cost
    state.inFlight += 1
    if (sub) state.searchInFlight += 1
    state.stats.peakConcurrency = Math.max(state.stats.peakConcurrency, state.inFlight)
    try {
      if (options.latencyMs > 0) await sleep(options.latencyMs)
      await next()
      if (used + cost > options.dailyCredits / 2) {
        c.res.headers.set('X-API-CREDITS-REMAINING', String(options.dailyCredits - used - cost))
      }
    } finally {
      state.inFlight -= 1
      if (sub) state.searchInFlight -= 1
    }
  }
}
