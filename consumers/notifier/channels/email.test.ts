import { createServer, type Server } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { DeliveryError, type Notification } from '../delivery.ts'
import { startSmtpCapture } from '../test-support.ts'
import { createEmailChannel } from './email.ts'

const notification: Notification = {
  type: 'missed',
  recipient: { email: 'ada.owner@example.com' },
  render: (part) => `${part} of the message`,
}

const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close()
})

const listen = (server: Server): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      if (address && typeof address === 'object') resolve(address.port)
      else reject(new Error('no TCP address'))
    })
  })
const closeServer = (server: Server) =>
  new Promise<void>((resolve) => server.close(() => resolve()))

/** A minimal SMTP server that accepts everything up to the end of DATA, then drops the line. */
const startDroppingServer = async () => {
  const server = createServer((socket) => {
    let inData = false
    let buffered = ''
    socket.write('220 drop.test ESMTP\r\n')
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1')
      if (inData) {
        if (buffered.includes('\r\n.\r\n')) socket.destroy()
        return
      }
      for (let end = buffered.indexOf('\r\n'); end >= 0; end = buffered.indexOf('\r\n')) {
        const command = buffered.slice(0, end).toUpperCase()
        buffered = buffered.slice(end + 2)
        if (command.startsWith('DATA')) {
          inData = true
          socket.write('354 go ahead\r\n')
          return
        }
        socket.write(command.startsWith('QUIT') ? '221 bye\r\n' : '250 ok\r\n')
      }
    })
  })
  const port = await listen(server)
  closers.push(() => closeServer(server))
  return `smtp://127.0.0.1:${port}`
}

const failureOf = async (smtpUrl: string) => {
  const email = createEmailChannel({ smtpUrl, from: 'calls@example.com', timeoutMs: 2_000 })
  closers.push(async () => email.close())
  return email.send(notification).catch((error: unknown) => error)
}

describe('e-mail channel', () => {
  it('reports a refused connection as not sent, worth retrying', async () => {
    const server = createServer()
    const port = await listen(server)
    await closeServer(server)
    const error = await failureOf(`smtp://127.0.0.1:${port}`)
    expect(error).toBeInstanceOf(DeliveryError)
    expect(error).toMatchObject({ sent: 'no', retryable: true })
  })

  it('reports a 550 recipient refusal as not sent, for good', async () => {
    const smtp = await startSmtpCapture({
      rejectRecipient: () => ({ code: 550, message: 'no such user' }),
    })
    closers.push(smtp.close)
    const error = await failureOf(smtp.url)
    expect(error).toMatchObject({ sent: 'no', retryable: false })
    expect(smtp.messages).toEqual([])
  })

  it('reports a connection lost after the message was handed over as of unknown outcome', async () => {
    const error = await failureOf(await startDroppingServer())
    expect(error).toBeInstanceOf(DeliveryError)
    expect(error).toMatchObject({ sent: 'unknown' })
  })
})
