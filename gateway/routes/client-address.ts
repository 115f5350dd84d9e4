/**
 * @module gateway/routes/client-address
 * The address failed authentications are counted against: the first X-Forwarded-For entry when
 * the gateway sits behind a trusted proxy, else the socket's remote address.
 */
import { getConnInfo } from '@hono/node-server/conninfo'
import type { Context } from 'hono'

export const clientAddress = (c: Context, trustProxy: boolean): string => {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim()
    if (forwarded) return forwarded
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown'
  } catch {
    // In-process requests (app.request in tests) have no socket.
    return 'unknown'
  }
}
