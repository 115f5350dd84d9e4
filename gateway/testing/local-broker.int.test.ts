import net from 'node:net'
import { afterAll, describe, expect, it } from 'vitest'
import { freePort } from '../../test/free-port.ts'
import { type LocalBroker, startLocalBrokerOnFreePorts } from './local-broker.ts'

describe('private test broker', () => {
  const started: LocalBroker[] = []
  const squatter = net.createServer()
  afterAll(async () => {
    await Promise.all(started.map((broker) => broker.destroy()))
    await new Promise((resolve) => squatter.close(resolve))
  })

  it('starts on new ports when a picked port was taken before the broker could bind it', async () => {
    const taken = await freePort()
    await new Promise<void>((resolve) => squatter.listen(taken, '127.0.0.1', resolve))
    const picked: number[] = []
    const pickPort = async () => {
      const port = picked.length === 0 ? taken : await freePort()
      picked.push(port)
      return port
    }
    const broker = await startLocalBrokerOnFreePorts(pickPort)
    started.push(broker)
    expect(picked).toHaveLength(4)
    expect(broker.brokers).toEqual([`127.0.0.1:${picked[2]}`])
  }, 240_000)
})
