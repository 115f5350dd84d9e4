import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createEmbeddedBus } from '../../platform/bus/embedded.ts'
import { loadConfig } from '../../platform/config/load.ts'
import { createMemoryKv } from '../../platform/kv/memory.ts'
import type { RoleContext } from '../../platform/runtime/role.ts'
import { testRoleContext } from '../../platform/runtime/testing.ts'
import { useMigratedPglite } from '../../test/pglite-ledger.ts'
import { waitFor } from '../../test/wait-for.ts'
import { publishEvent } from '../shared/publish.ts'
import { createNotifierRole, notifierVarsFrom } from './role.ts'
import { NotifierConfigError } from './settings.ts'
import { matched, startChatReceiver, startSmtpCapture } from './test-support.ts'

const db = useMigratedPglite()

const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close()
})

/** The ports a role gets from the runtime, built from `env` alone. */
const roleContext = async (env: Record<string, string> = {}): Promise<RoleContext> => {
  const cwd = await mkdtemp(path.join(tmpdir(), 'notifier-role-'))
  const { config } = loadConfig({ env, cwd })
  const bus = createEmbeddedBus({ path: ':memory:', pollIntervalMs: 10 })
  const kv = createMemoryKv()
  closers.push(async () => {
    await bus.close()
    await Promise.all([kv.close(), rm(cwd, { recursive: true, force: true })])
  })
  return testRoleContext({ config, bus, kv, db: db() })
}

describe('notifier role', () => {
  it('refuses to start when a routed channel lacks its settings, naming every variable', async () => {
    const context = await roleContext()
    const role = createNotifierRole({ vars: { NOTIFY_CHANNELS: 'missed:email+sms' } })
    const error = await role.start(context).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(NotifierConfigError)
    expect(
      error instanceof NotifierConfigError && error.problems.map((p) => p.split(':')[0]),
    ).toEqual([
      'SMTP_URL',
      'NOTIFY_EMAIL_FROM',
      'NOTIFY_FALLBACK_EMAIL',
      'SMS_FROM_NUMBER',
      'NOTIFY_FALLBACK_MOBILE',
    ])
  })

  it('refuses the sms channel without RingCentral credentials', async () => {
    const context = await roleContext()
    const role = createNotifierRole({
      vars: {
        NOTIFY_CHANNELS: 'voicemail:sms',
        SMS_FROM_NUMBER: '+16505550111',
        NOTIFY_FALLBACK_MOBILE: '+14155550199',
      },
    })
    await expect(role.start(context)).rejects.toThrow(
      /RINGCENTRAL_CLIENT_ID.*required for the sms channel/,
    )
  })

  it('reads its variables from the configuration by name, overrides winning', async () => {
    const { config } = await roleContext()
    const wired = {
      ...config,
      SMTP_URL: 'smtp://mail.example.com:25',
      NOTIFY_CHANNELS: 'missed:email',
      OWNER_DIRECTORY: '41:ana@example.com:,42::+14155550124',
    }
    expect(notifierVarsFrom(wired, { NOTIFY_CHANNELS: 'missed:chat' })).toMatchObject({
      SMTP_URL: 'smtp://mail.example.com:25',
      NOTIFY_CHANNELS: 'missed:chat',
      OWNER_DIRECTORY: '41:ana@example.com:,42::+14155550124',
    })
  })

  it('starts with e-mail and chat configured, notifies the owner from the directory, and stops', async () => {
    const smtp = await startSmtpCapture()
    closers.push(smtp.close)
    const chat = await startChatReceiver()
    closers.push(chat.close)
    const context = await roleContext()
    const running = await createNotifierRole({
      vars: {
        NOTIFY_CHANNELS: 'missed:email+chat',
        SMTP_URL: smtp.url,
        NOTIFY_EMAIL_FROM: 'calls@example.com',
        NOTIFY_FALLBACK_EMAIL: 'sales@example.com',
        OWNER_DIRECTORY: '4150868000000225013:ada.owner@example.com::Ada Owner',
        CHAT_WEBHOOK_URL: chat.url,
      },
    }).start(context)
    closers.push(() => running.stop())
    const event = matched('s-role-1')
    await publishEvent(context.bus, {
      topic: 'calls.matched',
      key: 's-role-1',
      id: 'matched:s-role-1',
      type: 'callbridge.call.matched',
      source: '/callbridge/lead-matcher',
      value: event,
    })
    await waitFor(() => smtp.messages.length === 1 && chat.posts.length === 1, {
      what: 'the e-mail and the chat message',
    })
    expect(smtp.messages[0]?.to).toEqual(['ada.owner@example.com'])
  })
})
