/**
 * @module test/e2e/receivers
 * Where the notifier's messages land in a run: a real SMTP server (smtp-server) and a
 * Slack-compatible chat-webhook receiver, both keeping what they got.
 */
import type net from 'node:net'
import { Hono } from 'hono'
import { SMTPServer } from 'smtp-server'
import { serveApp } from '../../simulators/shared/serve.ts'

/** A message the SMTP server accepted. */
export interface CapturedMail {
  readonly to: readonly string[]
  readonly subject: string
  /** Headers and body, quoted-printable soft breaks and escapes decoded. */
  readonly text: string
}

const decodeQuotedPrintable = (raw: string): string =>
  raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_match, hex: string) =>
      String.fromCharCode(Number.parseInt(hex, 16)),
    )

export const startSmtp = async () => {
  const messages: CapturedMail[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8')
        const headerEnd = raw.search(/\r?\n\r?\n/)
        const headers = (headerEnd < 0 ? raw : raw.slice(0, headerEnd)).replace(/\r?\n[ \t]+/g, ' ')
        messages.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: /^Subject: (.*)$/im.exec(headers)?.[1]?.trim() ?? '',
          text: decodeQuotedPrintable(raw),
        })
        callback()
      })
    },
  })
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject)
    const listening = server.listen(0, '127.0.0.1', () => {
      resolve((listening.address() as net.AddressInfo).port)
    })
  })
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** A chat-webhook post (Slack-compatible `{ text }`). */
export interface ChatPost {
  readonly text: string
}

export const startChat = async () => {
  const posts: ChatPost[] = []
  const app = new Hono()
  app.post('/hooks/callbridge', async (c) => {
    const body: unknown = await c.req.json()
    const text =
      typeof body === 'object' && body !== null && 'text' in body ? String(body.text) : ''
    posts.push({ text })
    return c.text('ok')
  })
  const served = await serveApp(app)
  return { url: `${served.url}/hooks/callbridge`, posts, close: served.close }
}
