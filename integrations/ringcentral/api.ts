/**
 * @module integrations/ringcentral/api
 * Authenticated requests: before each attempt the shared token (token-store.ts) is loaded into the
 * SDK if it changed; a 401 hands the token that was actually sent to `replace` and retries once.
 * `json` parses the answer with a zod schema at this trust boundary.
 */
import type { z } from 'zod'
import { formatIssues } from '../../schemas/issues.ts'
import type { RateLimitGroup } from './budget.ts'
import type { ApiRequest, Dispatcher } from './dispatcher.ts'
import { describeRequest, RingCentralResponseError } from './errors.ts'
import type { StoredToken } from './schemas.ts'
import { loadToken, type Platform } from './sdk.ts'
import type { TokenStore } from './token-store.ts'

/** Authenticated RingCentral requests. */
export interface Api {
  /** Sends the request and returns the successful response, its body unread. */
  send(group: RateLimitGroup, request: ApiRequest): Promise<Response>
  /** Sends the request and parses its JSON body with `schema`. */
  json<S extends z.ZodType>(
    group: RateLimitGroup,
    request: ApiRequest,
    schema: S,
  ): Promise<z.output<S>>
}

/** Creates the {@link Api}. */
export const createApi = ({
  dispatcher,
  tokens,
  platform,
}: {
  dispatcher: Dispatcher
  tokens: TokenStore
  platform: Platform
}): Api => {
  let loaded: StoredToken | undefined
  /**
   * Loads `token` into the SDK. Concurrent requests may read the kv store in any order, so an
   * older token never replaces a newer one here (`obtainedAt`), except after a 401 (`force`): the
   * token RingCentral rejected must go, whatever the clocks of the replicas say.
   */
  const load = async (token: StoredToken, force = false) => {
    if (loaded?.accessToken === token.accessToken) return
    if (!force && loaded && token.obtainedAt < loaded.obtainedAt) return
    loaded = token
    await loadToken(platform, token)
  }
  const hooks = {
    prepare: async () => load(await tokens.current()),
    onUnauthorized: async (rejected: string) => {
      await load(await tokens.replace(rejected), true)
      return true
    },
  }

  const send = (group: RateLimitGroup, request: ApiRequest) =>
    dispatcher.send(group, request, hooks)

  return {
    send,
    json: async (group, request, schema) => {
      const response = await send(group, request)
      let body: unknown
      try {
        body = await response.json()
      } catch {
        body = undefined
      }
      const parsed = schema.safeParse(body)
      if (!parsed.success) {
        throw new RingCentralResponseError(
          `RingCentral ${describeRequest(request.method, request.url)} answered an unexpected body: ${formatIssues(parsed.error)}`,
        )
      }
      return parsed.data
    },
  }
}
