/**
 * @module gateway/testing/local-broker
 * A second, private Kafka broker for tests that stop and restart it (the shared one on 9092 must
 * stay up). Uses deploy/kafka-local/kafka.sh with its own ports and data folder.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)
const script = new URL('../../deploy/kafka-local/kafka.sh', import.meta.url).pathname

export const createLocalBroker = ({
  port,
  controllerPort,
}: {
  port: number
  controllerPort: number
}) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'callbridge-broker-'))
  const env = {
    ...process.env,
    KAFKA_LOCAL_DIR: dir,
    KAFKA_LOCAL_PORT: String(port),
    KAFKA_LOCAL_CONTROLLER_PORT: String(controllerPort),
  }
  const call = (command: 'start' | 'stop') =>
    run('bash', [script, command], { env, timeout: 120_000 })
  return {
    brokers: [`127.0.0.1:${port}`],
    /** Starts it, or restarts it with its data after stop(). */
    start: () => call('start'),
    stop: () => call('stop'),
    destroy: async () => {
      await call('stop').catch(() => {})
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export type LocalBroker = ReturnType<typeof createLocalBroker>

/**
 * Creates and starts a private broker on two ports from `pickPort`. A port that was free when it
 * was picked can be taken before the broker binds it; then the broker is started again on new
 * ports, up to `attempts` times in all.
 */
export const startLocalBrokerOnFreePorts = async (
  pickPort: () => Promise<number>,
  attempts = 3,
): Promise<LocalBroker> => {
  for (let attempt = 1; ; attempt += 1) {
    const broker = createLocalBroker({ port: await pickPort(), controllerPort: await pickPort() })
    try {
      await broker.start()
      return broker
    } catch (error) {
      await broker.destroy()
      const portTaken = /Address already in use|something already listens on/.test(
        (error as Error).message,
      )
      if (!portTaken || attempt >= attempts) throw error
    }
  }
}
