/**
 * @module gateway/routes/body-limit
 * The body size cap. A request with a Content-Length (and no Transfer-Encoding) is judged by that
 * header alone: Node's HTTP parser never hands over more bytes than it announces, and not
 * touching the body stream here lets @hono/node-server read the body straight from the socket
 * later instead of building a web `Request` around it. Anything else (chunked bodies, in-process
 * requests) goes through Hono's bodyLimit, which counts the bytes as they stream.
 */
import type { Context, MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'

export interface BodyCapOptions {
  readonly maxBytes: number
  readonly onTooLarge: (c: Context) => Response | Promise<Response>
}

const digitsOnly = /^\d+$/

export const bodyCap = ({ maxBytes, onTooLarge }: BodyCapOptions): MiddlewareHandler => {
  const streaming = bodyLimit({ maxSize: maxBytes, onError: onTooLarge })
  return async (c, next) => {
    const length = c.req.header('content-length')
    if (
      length !== undefined &&
      digitsOnly.test(length) &&
      c.req.header('transfer-encoding') === undefined
    ) {
      if (Number(length) > maxBytes) return onTooLarge(c)
      await next()
      return
    }
    return streaming(c, next)
  }
}
