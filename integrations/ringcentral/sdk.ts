/**
 * @module integrations/ringcentral/sdk
 * Builds the `@ringcentral/sdk` platform the client sends through, with the SDK's own token
 * management neutralised, because tokens are shared between replicas by token-store.ts:
 *
 * - `ensureLoggedIn` is replaced by a no-op (the switch the SDK documents on `Platform.get`), so
 *   the SDK never refreshes or logs in by itself; its `refreshHandicapMs` is 0 and
 *   `clearCacheOnRefreshError` false as a second line of defence.
 * - Every request is sent with `retry: true` (dispatcher.ts), so the SDK does not retry 401s
 *   (it would cancel the token and resend without one) or 429s itself.
 * - Each client gets its own in-memory SDK storage: the SDK's Node default is ONE module-wide
 *   `dom-storage`, which would silently share (and wipe, on a refresh error) tokens between all
 *   clients of a process.
 * - The WHATWG fetch classes are passed in (instead of the SDK's node-fetch v2), so response bodies
 *   are web `ReadableStream`s that can be streamed.
 */
import { SDK } from '@ringcentral/sdk'
import type { StoredToken } from './schemas.ts'

/** The SDK platform type (not exported by the SDK's entry point). */
export type Platform = ReturnType<SDK['platform']>

/** A minimal Web Storage over a Map: private token storage for one SDK instance. */
const memoryStorage = (): Storage => {
  const items = new Map<string, string>()
  return {
    get length() {
      return items.size
    },
    clear: () => items.clear(),
    getItem: (key: string) => items.get(key) ?? null,
    key: (index: number) => [...items.keys()][index] ?? null,
    removeItem: (key: string) => {
      items.delete(key)
    },
    setItem: (key: string, value: string) => {
      items.set(key, value)
    },
    // The SDK's Cache.clean() lists keys with keys() when the storage has it.
    keys: () => [...items.keys()],
  }
}

/** Options for {@link createPlatform}. */
export interface PlatformOptions {
  readonly serverUrl: string
  readonly clientId: string
  readonly clientSecret: string
  readonly fetch?: typeof fetch
}

/** A neutralised SDK platform (see module doc). */
export const createPlatform = ({
  serverUrl,
  clientId,
  clientSecret,
  fetch: fetchImpl = globalThis.fetch,
}: PlatformOptions): Platform => {
  const sdk = new SDK({
    server: serverUrl.replace(/\/+$/, ''),
    clientId,
    clientSecret,
    fetch: fetchImpl,
    Request: globalThis.Request,
    Response: globalThis.Response,
    Headers: globalThis.Headers,
    localStorage: memoryStorage(),
    refreshHandicapMs: 0,
    clearCacheOnRefreshError: false,
  })
  const platform = sdk.platform()
  platform.ensureLoggedIn = async () => null
  return platform
}

/**
 * Puts the shared token into the SDK's storage, where it takes the bearer header from. Only the
 * access token goes in: the SDK never refreshes, so it never needs the refresh token.
 */
export const loadToken = async (platform: Platform, token: StoredToken): Promise<void> => {
  await platform.auth().setData({
    token_type: token.tokenType,
    access_token: token.accessToken,
    expires_in: String(Math.max(0, Math.round(token.lifetimeMs / 1000))),
    expire_time: token.expiresAt,
    refresh_token: '',
    refresh_token_expire_time: 0,
  })
}
