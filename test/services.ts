/**
 * @module test/services
 * How integration tests find their real services. Locally a missing service skips the file's tests;
 * with CALLBRIDGE_REQUIRE_SERVICES=1 (set by .ci/run) it fails the file instead.
 */
import net from 'node:net'

export const serviceDefaults = {
  KAFKA_BROKERS: '127.0.0.1:9092',
  REDIS_URL: 'redis://127.0.0.1:6379/15',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/callbridge_test',
} as const

export type ServiceName = keyof typeof serviceDefaults

/** The address of a service for tests: the environment first, then the local default. */
export const serviceUrl = (name: ServiceName): string => process.env[name] ?? serviceDefaults[name]

const hostPort = (name: ServiceName, url: string): { host: string; port: number } => {
  if (name === 'KAFKA_BROKERS') {
    const [first = ''] = url.split(',')
    const [host = '127.0.0.1', port = '9092'] = first.split(':')
    return { host, port: Number(port) }
  }
  const u = new URL(url)
  return { host: u.hostname, port: Number(u.port || (name === 'REDIS_URL' ? 6379 : 5432)) }
}

const canConnect = ({ host, port }: { host: string; port: number }, timeoutMs = 1500) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect({ host, port })
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(timeoutMs, () => done(false))
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
  })

/**
 * Resolves to true when the service accepts TCP connections. When it does not: false locally
 * (the caller skips), and a thrown error under CALLBRIDGE_REQUIRE_SERVICES=1 (the file fails).
 */
export const serviceAvailable = async (name: ServiceName): Promise<boolean> => {
  const url = serviceUrl(name)
  if (await canConnect(hostPort(name, url))) return true
  if (process.env['CALLBRIDGE_REQUIRE_SERVICES'] === '1') {
    throw new Error(`${name}=${url} is not reachable and CALLBRIDGE_REQUIRE_SERVICES=1`)
  }
  return false
}
