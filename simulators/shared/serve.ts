/**
 * @module simulators/shared/serve
 * Serves a simulator's Hono app on 127.0.0.1 (port 0 = a free one) and closes it again. Used by the
 * simulators' `start*` functions, tests, benchmarks, the demo and `callbridge simulate`.
 */
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import type { Hono } from 'hono'

export interface Served {
  /** Base URL, without a trailing slash, e.g. http://127.0.0.1:41234 */
  readonly url: string
  readonly port: number
  close(): Promise<void>
}

export const serveApp = (app: Hono, { port = 0, hostname = '127.0.0.1' } = {}): Promise<Served> =>
  new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname }, (info: AddressInfo) => {
      resolve({
        url: `http://${hostname}:${info.port}`,
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done())
            if ('closeAllConnections' in server) server.closeAllConnections()
          }),
      })
    })
    server.once('error', reject)
  })
