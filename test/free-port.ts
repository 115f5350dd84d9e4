/**
 * @module test/free-port
 * A TCP port on 127.0.0.1 that is free now, for a server a test starts later (often in a child
 * process). Picked below Linux's default ephemeral range (32768-60999), from which outgoing
 * connections take their local ports: a port from inside it can be taken by any connection
 * between the check and the bind, which made a broker fail to start once in CI. Another process
 * can still take the port; servers started on it retry on new ports when the bind fails.
 */
import net from 'node:net'

const low = 20_000
const high = 32_000

const canBind = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const server = net.createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })

export const freePort = async (): Promise<number> => {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const port = low + Math.floor(Math.random() * (high - low))
    if (await canBind(port)) return port
  }
  throw new Error(`no free port between ${low} and ${high} after 100 tries`)
}
