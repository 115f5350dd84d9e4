/**
 * @module demo/call-mix
 * A realistic mix of calls for the demo: known and new callers, answered (some recorded, some
 * transferred), missed and voicemail, now and then with duplicated or reordered webhooks. Pure:
 * the randomness is passed in, so a seed gives the same day of calls.
 */
import type { CallSpec } from '../simulators/ringcentral/types.ts'

/** Callers Zoho already knows (seeded into the simulated CRM as leads and contacts). */
export const knownCallers = [
  { phone: '+14155550101', first: 'Grace', last: 'Hopper', module: 'Leads' },
  { phone: '+14155550102', first: 'Alan', last: 'Turing', module: 'Leads' },
  { phone: '+14155550103', first: 'Ada', last: 'Lovelace', module: 'Contacts' },
] as const

const newCallerNames = [
  'Margaret Hamilton',
  'Edsger Dijkstra',
  'Barbara Liskov',
  'Ken Thompson',
  '',
]
export const companyNumber = '+16505550100'
const extensions = ['2002', '2003', '2004'] as const

const pick = <T>(items: readonly T[], random: () => number): T =>
  items[Math.floor(random() * items.length)] as T

/** The `n`th call of the demo. */
export const nextCall = (n: number, random: () => number): CallSpec => {
  const known = random() < 0.4
  const caller = known ? pick(knownCallers, random) : undefined
  const from = caller?.phone ?? `+1415555${String(2000 + ((n * 37) % 8000)).padStart(4, '0')}`
  const roll = random()
  const result: CallSpec['result'] = roll < 0.6 ? 'answered' : roll < 0.82 ? 'missed' : 'voicemail'
  const name = caller ? `${caller.first} ${caller.last}` : pick(newCallerNames, random)
  const spec: CallSpec = {
    direction: 'Inbound',
    from,
    to: companyNumber,
    result,
    extensionId: pick(extensions, random),
    durationS: result === 'answered' ? 30 + Math.floor(random() * 400) : 0,
    recording: result === 'answered' && random() < 0.6,
    ...(name ? { callerName: name } : {}),
    ...(result === 'answered' && random() < 0.1 ? { transferTo: '2005' } : {}),
    ...(random() < 0.25 ? { faults: { duplicate: 1, reorder: true } } : {}),
  }
  return spec
}
