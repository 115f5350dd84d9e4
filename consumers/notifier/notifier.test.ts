import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { useMigratedPglite } from '../../test/pglite-ledger.ts'
import { matched, type NotifierHarnessOptions, openNotifierHarness } from './test-support.ts'

const db = useMigratedPglite()

const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close()
})

let sessions = 0
/** Session ids never repeat in the file's ledger. */
const nextSession = () => {
  sessions += 1
  return `s-notifier-${Date.now().toString(36)}-${sessions}`
}

const ownerId = '4150868000000225013'
const owner = { email: 'ada.owner@example.com', mobile: '+14155550123', name: 'Ada Owner' }
const fallback = { email: 'sales@example.com', mobile: '+14155550199' }
const smsFrom = '+16505550111'

/** The harness on this file's ledger; everything it starts is closed after each test. */
const open = async (options: NotifierHarnessOptions = {}) => {
  const harness = await openNotifierHarness(db(), {
    owners: new Map([[ownerId, owner]]),
    fallback,
    smsFrom,
    ...options,
  })
  closers.push(harness.close)
  return harness
}

describe('notifier', () => {
  it('tells the owner about a missed call by e-mail and chat, with call and person fields, HTML-escaped in HTML', async () => {
    const n = await open()
    const event = matched(nextSession(), {
      call: { external: { phoneNumber: '+14155550100', name: '<b>Evil & Co</b>' } },
    })

    await n.publish(event)
    await n.handled(1)

    expect(n.smtp.messages).toHaveLength(1)
    const [mail] = n.smtp.messages
    expect(mail).toMatchObject({
      from: 'calls@example.com',
      to: ['ada.owner@example.com'],
      subject: 'Missed call from <b>Evil & Co</b>',
    })
    expect(mail?.html).toContain('<strong>&lt;b&gt;Evil &amp; Co&lt;/b&gt;</strong> (+14155550100)')
    expect(mail?.html).not.toContain('<b>Evil')
    expect(mail?.text).toContain(
      '<b>Evil & Co</b> (+14155550100) called +16505550111 on 2026-03-02 10:15 UTC and nobody answered.',
    )
    expect(mail?.text).toContain('Zoho CRM lead: Ada Lovelace (id 5725767000000400001)')
    const text =
      ':telephone_receiver: *Missed call* from *&lt;b&gt;Evil &amp; Co&lt;/b&gt;* (+14155550100) on ' +
      '2026-03-02 10:15 UTC. Zoho lead: Ada Lovelace. Owner: Ada Owner.'
    expect(n.chat.posts).toEqual([
      { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] },
    ])
    expect(n.rc.sim.state.sms).toEqual([])
  })

  it("texts a voicemail to the owner's mobile from the configured number, and e-mails it", async () => {
    const n = await open()
    await n.publish(matched(nextSession(), { call: { result: 'voicemail', voicemail: true } }))
    await n.handled(1)

    expect(n.rc.sim.state.sms).toMatchObject([
      {
        from: smsFrom,
        to: [owner.mobile],
        text: 'New voicemail from ACME CORP +14155550100 at 2026-03-02 10:15 UTC.',
      },
    ])
    expect(n.smtp.messages.map((m) => [m.to, m.subject])).toEqual([
      [[owner.email], 'New voicemail from ACME CORP'],
    ])
    expect(n.chat.posts).toEqual([])
  })

  it('e-mails the owner about a new lead', async () => {
    const n = await open()
    await n.publish(
      matched(nextSession(), { call: { result: 'answered', durationS: 95 }, createdLead: true }),
    )
    await n.handled(1)

    expect(n.smtp.messages).toHaveLength(1)
    expect(n.smtp.messages[0]).toMatchObject({
      to: [owner.email],
      subject: 'New lead: Ada Lovelace (+14155550100)',
    })
    expect(n.smtp.messages[0]?.text).toContain('(answered, 1:35)')
    expect(n.chat.posts).toEqual([])
  })

  it('sends one notification per channel when the same event arrives twice', async () => {
    const n = await open()
    const event = matched(nextSession())
    await n.publish(event)
    await n.publish(event)
    await n.handled(2)

    expect(n.smtp.messages).toHaveLength(1)
    expect(n.chat.posts).toHaveLength(1)
    const session = event.call.telephonySessionId
    expect(await n.ledger.claim(session, 'notification', 'missed:email')).toMatchObject({
      status: 'done',
    })
    expect(await n.ledger.claim(session, 'notification', 'missed:chat')).toMatchObject({
      status: 'done',
    })
  })

  it('notifies the fallback recipient when the owner is not in the directory', async () => {
    const n = await open()
    const event = matched(nextSession(), { call: { result: 'voicemail', voicemail: true } })
    await n.publish({ ...event, person: { ...event.person, ownerId: '4150868000000999999' } })
    await n.handled(1)

    expect(n.smtp.messages.map((m) => m.to)).toEqual([[fallback.email]])
    expect(n.rc.sim.state.sms.map((sms) => sms.to)).toEqual([[fallback.mobile]])
  })

  it('renders templates from an override directory, file by file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'notifier-templates-'))
    closers.push(() => rm(dir, { recursive: true, force: true }))
    await mkdir(path.join(dir, 'missed'))
    await writeFile(
      path.join(dir, 'missed', 'subject.txt'),
      'Call {{ call.external.phoneNumber }} back\n',
    )
    await writeFile(path.join(dir, 'missed', 'body.html'), '<p>{{person.name}} rang</p>\n')
    const n = await open({ routes: 'missed:email', templatesDir: dir })

    await n.publish(
      matched(nextSession(), {
        person: { module: 'Contacts', id: '42', name: 'Tom & Jerry', ownerId },
      }),
    )
    await n.handled(1)

    expect(n.smtp.messages[0]?.subject).toBe('Call +14155550100 back')
    expect(n.smtp.messages[0]?.html.trim()).toBe('<p>Tom &amp; Jerry rang</p>')
    expect(n.smtp.messages[0]?.text).toContain('Zoho CRM contact: Tom & Jerry (id 42)')
  })

  it('does not send again a notification that was claimed and never confirmed (at most once)', async () => {
    const n = await open()
    const event = matched(nextSession())
    // A worker sent the e-mail, then died before confirming it.
    await n.ledger.claim(event.call.telephonySessionId, 'notification', 'missed:email')

    await n.publish(event)
    await n.handled(1)

    expect(n.smtp.messages).toEqual([])
    expect(n.chat.posts).toHaveLength(1)
    expect(n.fx.lines.some((line) => String(line['msg']).includes('not sent again'))).toBe(true)
  })

  it('retries an e-mail the SMTP server refused with 451, without posting the chat message again', async () => {
    let refusals = 1
    const n = await open({
      smtp: {
        rejectRecipient: () =>
          refusals-- > 0 ? { code: 451, message: 'greylisted, try again later' } : undefined,
      },
    })
    const retries: string[] = []
    await n.fx.bus.ensureTopics([{ name: 'calls.matched.retry' }])
    await n.fx.bus.subscribe({
      groupId: 'retry-spy',
      topics: ['calls.matched.retry'],
      handler: async (message) => {
        retries.push(message.headers['x-retry-error'] ?? '')
      },
    })
    await n.publish(matched(nextSession()))
    await n.fx.until(() => n.smtp.messages.length === 1, 'the e-mail')
    await n.handled(1)

    expect(n.chat.posts).toHaveLength(1)
    expect(n.smtp.messages[0]?.to).toEqual([owner.email])
    expect(retries).toHaveLength(1)
    expect(retries[0]).toMatch(/^e-mail: .*451/)
  })
})
