/**
 * The data set of bench:pipeline, the same on every run (seeded PRNG): 500 distinct US numbers,
 * 30 % of them Zoho leads and 20 % Zoho contacts before the run (stored as people type them:
 * with or without the country code, in Phone or Mobile), 50 % unknown; and 1,000 CallCompleted
 * events over them (every number calls at least once, the other 500 calls skewed towards
 * frequent callers), in start-time order. Inbound 70 % (answered 60 / missed 25 / voicemail 15),
 * outbound 30 % (answered 75 / no answer 25); a third of the answered calls are recorded.
 */

import type { CallCompleted } from '../schemas/calls.ts'
import { seededRandom } from '../simulators/shared/seeded-random.ts'

export interface SeedPerson {
  readonly module: 'Leads' | 'Contacts'
  readonly fields: Readonly<Record<string, string>>
}

export interface PipelineData {
  readonly calls: readonly CallCompleted[]
  readonly seeds: readonly SeedPerson[]
  readonly distinctNumbers: number
  readonly knownLeads: number
  readonly knownContacts: number
  readonly byResult: Readonly<Record<string, number>>
}

const areaCodes = ['212', '206', '303', '310', '312', '415', '503', '617', '646', '702', '713']
const firstNames = ['John', 'Maria', 'Wei', 'Aisha', 'Carlos', 'Emma', 'Noah', 'Priya', 'Liam']
const lastNames = ['Smith', 'Garcia', 'Chen', 'Okafor', 'Müller', 'Rossi', 'Nguyen', 'Patel']

const makeNumbers = (random: () => number, count: number): string[] => {
  const numbers = new Set<string>()
  while (numbers.size < count) {
    const area = areaCodes[Math.floor(random() * areaCodes.length)] ?? '415'
    const exchange = 200 + Math.floor(random() * 800)
    if (exchange % 100 === 11 || exchange === 555) continue
    const line = String(Math.floor(random() * 10_000)).padStart(4, '0')
    numbers.add(`+1${area}${exchange}${line}`)
  }
  return [...numbers]
}

/** `+14155550123` as a person types it: `+1 415-555-0123` or `(415) 555-0123`. */
const typed = (e164: string, international: boolean): string => {
  const [a, b, c] = [e164.slice(2, 5), e164.slice(5, 8), e164.slice(8)]
  return international ? `+1 ${a}-${b}-${c}` : `(${a}) ${b}-${c}`
}

const pick = <T>(random: () => number, items: readonly T[]): T => {
  const item = items[Math.floor(random() * items.length)]
  if (item === undefined) throw new Error('pick from an empty list')
  return item
}

export const pipelineData = ({
  calls = 1000,
  numbers = 500,
  leadShare = 0.3,
  contactShare = 0.2,
  seed = 20261124,
  runTag = 'bench',
} = {}): PipelineData => {
  const random = seededRandom(seed)
  const all = makeNumbers(random, numbers)
  const leadCount = Math.round(numbers * leadShare)
  const contactCount = Math.round(numbers * contactShare)
  const seeds: SeedPerson[] = all.slice(0, leadCount + contactCount).map((e164, i) => {
    const module = i < leadCount ? 'Leads' : 'Contacts'
    const field = module === 'Contacts' && random() < 0.3 ? 'Mobile' : 'Phone'
    return {
      module,
      fields: {
        First_Name: pick(random, firstNames),
        Last_Name: pick(random, lastNames),
        [field]: typed(e164, random() < 0.5),
        ...(module === 'Leads' ? { Company: 'Prospect Inc', Lead_Source: 'Web Site' } : {}),
      },
    }
  })

  // Every number calls once; the other calls go to frequent callers (heavy-tailed weights).
  const weights = all.map(() => 1 / (0.02 + random()) ** 0.8)
  const total = weights.reduce((sum, w) => sum + w, 0)
  const callers = [...all]
  while (callers.length < calls) {
    let r = random() * total
    let i = 0
    while (i < weights.length - 1 && r >= (weights[i] ?? 0)) r -= weights[i++] ?? 0
    callers.push(all[i] ?? '')
  }

  const dayStart = Date.parse('2026-11-23T13:00:00Z')
  const times = callers
    .map(() => dayStart + Math.floor(random() * 9 * 3600_000))
    .sort((a, b) => a - b)
  const order = callers.map((n) => ({ n, k: random() })).sort((x, y) => x.k - y.k)
  const byResult: Record<string, number> = {}
  const events = order.map(({ n }, i): CallCompleted => {
    const inbound = random() < 0.7
    const roll = random()
    const result = inbound
      ? roll < 0.6
        ? 'answered'
        : roll < 0.85
          ? 'missed'
          : 'voicemail'
      : roll < 0.75
        ? 'answered'
        : 'missed'
    const answered = result === 'answered'
    const session = `s-${runTag}-${i.toString(36).padStart(3, '0')}`
    const key = `${inbound ? 'inbound' : 'outbound'} ${result}`
    byResult[key] = (byResult[key] ?? 0) + 1
    const recorded = answered && random() < 0.33
    const callerName =
      random() < 0.6
        ? `${pick(random, lastNames).toUpperCase()}, ${pick(random, firstNames).toUpperCase()}`
        : random() < 0.5
          ? 'WIRELESS CALLER'
          : undefined
    return {
      telephonySessionId: session,
      direction: inbound ? 'Inbound' : 'Outbound',
      result,
      external: { phoneNumber: n, ...(callerName && inbound ? { name: callerName } : {}) },
      internal: { phoneNumber: '+16505550100' },
      extensionId: answered || !inbound ? `200${String(1 + Math.floor(random() * 8))}` : null,
      startTime: new Date(times[i] ?? dayStart).toISOString(),
      durationS: answered
        ? 20 + Math.floor(random() * 900)
        : result === 'voicemail'
          ? 15 + Math.floor(random() * 60)
          : 0,
      voicemail: result === 'voicemail',
      recording: recorded
        ? {
            id: `rec-${session}`,
            contentUri: `https://media.ringcentral.com/restapi/v1.0/account/~/recording/rec-${session}/content`,
            contentType: 'audio/mpeg',
          }
        : null,
      callLogIds: [`Y3s${session.slice(2)}`],
      source: random() < 0.95 ? 'webhook' : 'reconciler',
    }
  })
  return {
    calls: events,
    seeds,
    distinctNumbers: new Set(events.map((c) => c.external.phoneNumber)).size,
    knownLeads: leadCount,
    knownContacts: contactCount,
    byResult,
  }
}
