/**
 * @module consumers/notifier/test-support
 * Real receivers for the notifier's tests: a local SMTP server (smtp-server) that keeps every
 * message it accepts, decoded into subject, HTML and text; a Hono chat-webhook receiver; a
 * `calls.matched` value builder; and a harness running the notifier on all of them. Tests only.
 */
import { Hono } from 'hono'
import { SMTPServer, type SMTPServerAddress } from 'smtp-server'
import { createRingCentralClient } from '../../integrations/ringcentral/index.ts'
import { simCredentials } from '../../integrations/ringcentral/test-support.ts'
import type { Db } from '../../platform/db/port.ts'
import { createMemoryKv } from '../../platform/kv/memory.ts'
import type { CallMatched } from '../../schemas/calls.ts'
import { startRingCentralSimulator } from '../../simulators/ringcentral/index.ts'
import { serveApp } from '../../simulators/shared/serve.ts'
import { createLedger } from '../ledger/ledger.ts'
import { openFixture } from '../runtime/test-fixture.ts'
import { publishEvent } from '../shared/publish.ts'
import { createChatChannel } from './channels/chat.ts'
import { createEmailChannel } from './channels/email.ts'
import { createSmsChannel } from './channels/sms.ts'
import { createNotifier } from './notifier.ts'
import { createStaticOwnerDirectory, type OwnerContact } from './owner-directory.ts'
import { parseChannelRoutes } from './settings.ts'
import { loadTemplates } from './templates.ts'
import { parseMail } from './test-mail.ts'

/** A message as the SMTP server received it. */
export interface CapturedMail {
  readonly from: string
  readonly to: readonly string[]
  readonly headers: ReadonlyMap<string, string>
  readonly subject: string
  readonly html: string
  readonly text: string
}

/** Options of {@link startSmtpCapture}. */
export interface SmtpCaptureOptions {
  /** Answer RCPT TO with this error (e.g. `{ code: 451, message: 'try later' }`); undefined accepts. */
  readonly rejectRecipient?: (address: string) => { code: number; message: string } | undefined
}

/** A real SMTP server on 127.0.0.1 that keeps every accepted message. */
export const startSmtpCapture = async ({ rejectRecipient }: SmtpCaptureOptions = {}) => {
  const messages: CapturedMail[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo: (address: SMTPServerAddress, _session, callback) => {
      const refusal = rejectRecipient?.(address.address)
      if (!refusal) return callback()
      callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }))
    },
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        const mail = parseMail(Buffer.concat(chunks).toString('utf8'))
        const envelope = session.envelope
        messages.push({
          from: envelope.mailFrom === false ? '' : envelope.mailFrom.address,
          to: envelope.rcptTo.map((r) => r.address),
          ...mail,
        })
        callback()
      })
    },
  })
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject)
    const listening = server.listen(0, '127.0.0.1', () => {
      const address = listening.address()
      if (address && typeof address === 'object') resolve(address.port)
      else reject(new Error('the SMTP server has no TCP address'))
    })
  })
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** A chat webhook receiver (Hono); answers `failFirst` requests with 503, then 200. */
export const startChatReceiver = async ({ failFirst = 0 } = {}) => {
  const posts: unknown[] = []
  let failures = failFirst
  const app = new Hono()
  app.post('/hooks/callbridge', async (c) => {
    if (failures > 0) {
      failures -= 1
      return c.text('busy', 503)
    }
    posts.push(await c.req.json())
    return c.text('ok')
  })
  const served = await serveApp(app)
  return { url: `${served.url}/hooks/callbridge`, posts, close: served.close }
}

/** A `calls.matched` value; `call` and the top-level fields can be overridden. */
export const matched = (
  session: string,
  {
    call = {},
    ...rest
  }: Partial<Omit<CallMatched, 'call'>> & { call?: Partial<CallMatched['call']> } = {},
): CallMatched => ({
  call: {
    telephonySessionId: session,
    direction: 'Inbound',
    result: 'missed',
    external: { phoneNumber: '+14155550100', name: 'ACME CORP' },
    internal: { phoneNumber: '+16505550111' },
    extensionId: '2002',
    startTime: '2026-03-02T10:15:00.000Z',
    durationS: 0,
    voicemail: false,
    recording: null,
    callLogIds: ['cl-1'],
    source: 'webhook',
    ...call,
  },
  person: {
    module: 'Leads',
    id: '5725767000000400001',
    ownerId: '4150868000000225013',
    name: 'Ada Lovelace',
  },
  createdLead: false,
  crmCallId: '5725767000000500001',
  crmNoteId: null,
  ...rest,
})

/** Options of {@link openNotifierHarness}. */
export interface NotifierHarnessOptions {
  /** NOTIFY_CHANNELS syntax. Default `missed:email+chat,voicemail:email+sms,new-lead:email`. */
  readonly routes?: string
  readonly templatesDir?: string
  readonly smtp?: SmtpCaptureOptions
}

/**
 * A real SMTP server, chat receiver, RingCentral simulator (SMS), ledger and bus, and the notifier
 * on them with fast retries. `close()` stops everything it started.
 */
export const openNotifierHarness = async (
  db: Db,
  {
    owners,
    fallback,
    smsFrom,
    routes = 'missed:email+chat,voicemail:email+sms,new-lead:email',
    templatesDir,
    smtp: smtpOptions,
  }: NotifierHarnessOptions & {
    owners: ReadonlyMap<string, OwnerContact>
    fallback: OwnerContact
    smsFrom: string
  },
) => {
  const closers: (() => Promise<void>)[] = []
  const close = async () => {
    for (const closer of closers.splice(0).reverse()) await closer()
  }
  try {
    const smtp = await startSmtpCapture(smtpOptions)
    closers.push(smtp.close)
    const chat = await startChatReceiver()
    closers.push(chat.close)
    const rc = await startRingCentralSimulator({ rateLimits: false })
    closers.push(rc.close)
    const kv = createMemoryKv()
    const ringcentral = createRingCentralClient({ serverUrl: rc.url, ...simCredentials, kv })
    closers.push(async () => {
      ringcentral.close()
      await kv.close()
    })
    const email = createEmailChannel({ smtpUrl: smtp.url, from: 'callbridge <calls@example.com>' })
    closers.push(async () => email.close())
    const fx = openFixture()
    closers.push(fx.close)
    const ledger = createLedger(db)
    await fx.start(
      createNotifier({
        ledger,
        channels: {
          email,
          chat: createChatChannel({ url: chat.url }),
          sms: createSmsChannel({ ringcentral, from: smsFrom }),
        },
        routes: parseChannelRoutes(routes),
        templates: await loadTemplates({ overrideDir: templatesDir }),
        directory: createStaticOwnerDirectory(owners),
        fallback,
        backoff: { baseMs: 20, maxMs: 100 },
      }),
    )
    const publish = (event: CallMatched) =>
      publishEvent(fx.bus, {
        topic: 'calls.matched',
        key: event.call.telephonySessionId,
        id: `matched:${event.call.telephonySessionId}`,
        type: 'callbridge.call.matched',
        source: '/callbridge/lead-matcher',
        value: event,
      })
    /** Waits until `count` events were handled without error. */
    const handled = (count: number) =>
      fx.until(
        async () =>
          (await fx.metricValue('callbridge_consumer_messages_total', {
            consumer: 'notifier',
            outcome: 'ok',
          })) >= count,
        `${count} event(s) handled`,
      )
    return { smtp, chat, rc, fx, ledger, publish, handled, close }
  } catch (error) {
    await close()
    throw error
  }
}
