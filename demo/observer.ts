/**
 * @module demo/observer
 * Follows each call through the pipeline by reading the topics in consumer groups of its own, and
 * prints one readable line per step (received → completed → matched → recording attached →
 * notified) plus a running summary.
 */
import type { Bus } from '../platform/bus/port.ts'

type Step = 'received' | 'completed' | 'matched' | 'recording' | 'notified'

export interface Observer {
  /** Marks a step of a call (also used by the demo's chat receiver for notifications). */
  step(session: string, step: Step, detail: string): void
  /** The session a notification text is about (by the caller's number in it). */
  sessionOf(text: string): string
  summary(): string
  stop(): Promise<void>
}

const json = (value: Buffer) => JSON.parse(value.toString('utf8')) as Record<string, unknown>
const short = (session: string) => session.slice(0, 10)

export const startObserver = async (bus: Bus, print: (line: string) => void): Promise<Observer> => {
  const seen = new Map<string, Set<Step>>()
  /** The latest matched call per caller number: notifications name the caller, not the session. */
  const sessionByPhone = new Map<string, string>()
  const counts: Record<Step, number> = {
    received: 0,
    completed: 0,
    matched: 0,
    recording: 0,
    notified: 0,
  }
  const step = (session: string, name: Step, detail: string) => {
    const steps = seen.get(session) ?? new Set<Step>()
    seen.set(session, steps)
    if (steps.has(name) && name !== 'notified') return
    steps.add(name)
    counts[name] += 1
    const time = new Date().toISOString().slice(11, 19)
    print(`${time}  call ${short(session)}  ${name.padEnd(10)} ${detail}`)
  }
  const follow = (topic: string, handle: (value: Record<string, unknown>, key: string) => void) =>
    bus.subscribe({
      groupId: `demo-observer-${topic}`,
      topics: [topic],
      fromBeginning: false,
      handler: async (message) => handle(json(message.value), message.key ?? ''),
    })
  await bus.ensureTopics(
    ['ringcentral.webhooks', 'calls.completed', 'calls.matched', 'recordings.attached'].map(
      (name) => ({ name }),
    ),
  )
  const subscriptions = await Promise.all([
    follow('ringcentral.webhooks', (value, key) => {
      if (value['kind'] === 'telephony-session')
        step(key, 'received', 'telephony events arriving at the gateway')
    }),
    follow('calls.completed', (value) => {
      const external = value['external'] as { phoneNumber: string | null } | undefined
      step(
        String(value['telephonySessionId']),
        'completed',
        `${String(value['direction']).toLowerCase()} ${String(value['result'])} from ${external?.phoneNumber ?? 'anonymous'}, ${String(value['durationS'])} s${value['recording'] ? ', recorded' : ''}`,
      )
    }),
    follow('calls.matched', (value) => {
      const call = value['call'] as {
        telephonySessionId: string
        external: { phoneNumber: string | null }
      }
      if (call.external.phoneNumber)
        sessionByPhone.set(call.external.phoneNumber, call.telephonySessionId)
      const person = value['person'] as { module: string; id: string; name?: string }
      step(
        call.telephonySessionId,
        'matched',
        `${value['createdLead'] ? 'NEW lead' : person.module.replace(/s$/, '')} ${person.name ?? person.id}, call logged in Zoho`,
      )
    }),
    follow('recordings.attached', (value) => {
      step(
        String(value['telephonySessionId']),
        'recording',
        `attached to Zoho (${String(value['bytes'])} bytes)`,
      )
    }),
  ])
  return {
    step,
    sessionOf: (text: string) => {
      const phone = /\+\d{6,15}/.exec(text)?.[0]
      return (phone && sessionByPhone.get(phone)) ?? 'unknown'
    },
    summary: () =>
      `summary: ${counts.received} calls received, ${counts.completed} completed, ${counts.matched} in Zoho, ${counts.recording} recordings attached, ${counts.notified} notifications`,
    stop: async () => {
      await Promise.all(subscriptions.map((s) => s.stop()))
    },
  }
}
