import { createServer } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { DeliveryError, type Notification } from '../delivery.ts'
import { startChatReceiver } from '../test-support.ts'
import { createChatChannel } from './chat.ts'

const notification: Notification = {
  type: 'missed',
  recipient: {},
  render: (part) => `*${part}* text`,
}

const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close()
})

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() =>
        address && typeof address === 'object'
          ? resolve(address.port)
          : reject(new Error('no port')),
      )
    })
  })

describe('chat channel', () => {
  it('posts Slack-compatible JSON with the text and a mrkdwn section block', async () => {
    const chat = await startChatReceiver()
    closers.push(chat.close)
    await createChatChannel({ url: chat.url }).send(notification)
    expect(chat.posts).toEqual([
      {
        text: '*chat* text',
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*chat* text' } }],
      },
    ])
  })

  it('reports a 503 as not sent and worth retrying, and an unknown hook as not sent for good', async () => {
    const chat = await startChatReceiver({ failFirst: 1 })
    closers.push(chat.close)
    const busy = await createChatChannel({ url: chat.url })
      .send(notification)
      .catch((e: unknown) => e)
    expect(busy).toMatchObject({
      sent: 'no',
      retryable: true,
      message: 'chat: webhook answered 503',
    })
    const gone = await createChatChannel({ url: `${chat.url}/revoked` })
      .send(notification)
      .catch((e: unknown) => e)
    expect(gone).toMatchObject({
      sent: 'no',
      retryable: false,
      message: 'chat: webhook answered 404',
    })
  })

  it('reports a refused connection as not sent, without the secret URL in the message', async () => {
    const url = `http://127.0.0.1:${await freePort()}/services/T000/B000/secret-token`
    const error = await createChatChannel({ url })
      .send(notification)
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DeliveryError)
    expect(error).toMatchObject({ sent: 'no', retryable: true })
    expect(String(error)).not.toContain('secret-token')
  })
})
