import { describe, expect, it } from 'vitest'
import { externalOf, faultsApplied, pipelineProblems } from './problems.ts'
import { type PlacedCall, pipelineCalls, placeCalls } from './scenario.ts'
import { settle } from './settle.ts'
import { e2eServicesAvailable, useHarness } from './setup.ts'

// The whole pipeline, every role its own process of the real CLI, on a private Kafka broker,
// Redis and PostgreSQL, against the RingCentral and Zoho simulators: twelve calls with
// duplicated, reordered and dropped webhooks each end up in Zoho exactly once.
const available = await e2eServicesAvailable()

// No retry: a second attempt would place its calls into the same, already used pipeline.
describe.skipIf(!available)('pipeline end to end', { retry: 0 }, () => {
  let calls: PlacedCall[] = []
  let settled = false
  const run = useHarness('pipeline', 10)

  it('logs every call in Zoho exactly once, one lead per new number, nothing parked or unfinished', async () => {
    const { harness, known, numbers } = run
    calls = await placeCalls(harness, pipelineCalls(numbers, known))
    harness.mark('calls placed', calls.length)
    await harness.rc.sim.flush()
    expect(faultsApplied(harness, calls)).toEqual([])

    // Polls the simulators, receivers, ledger and parking topics until everything is exactly as
    // it must be and every consumer group has caught up; throws with the problems left and the
    // processes' logs, lags and simulator stats otherwise.
    await settle(
      harness,
      () => pipelineProblems(harness, calls, { seededLeads: 1, seededContacts: 1 }),
      { timeoutMs: 200_000, what: 'every call in Zoho exactly once' },
    )
    settled = true
    expect(harness.zoho.sim.state.records('Calls')).toHaveLength(calls.length)
    const newNumbers = new Set(calls.filter((c) => !c.known).map((c) => externalOf(c.spec)))
    expect(harness.zoho.sim.state.records('Leads')).toHaveLength(1 + newNumbers.size)
    // The shared RingCentral budget kept every process under the rate limits.
    expect(harness.rc.sim.stats().served429).toBe(0)
  }, 240_000)

  it('recovered the two calls whose webhooks were all dropped through the call-log reconciler', () => {
    const { harness } = run
    expect(settled).toBe(true)
    const dropped = calls.filter((c) => c.spec.faults?.drop === 1)
    expect(dropped).toHaveLength(2)
    for (const call of dropped) {
      const sources = harness.events
        .filter((e) => e.topic === 'calls.completed' && e.key === call.sim.telephonySessionId)
        .map((e) => (e.value as { source?: unknown }).source)
      expect(sources.length).toBeGreaterThan(0)
      expect(new Set(sources)).toEqual(new Set(['reconciler']))
    }
  })

  it('attached each recording once, to the matched person', () => {
    const { harness } = run
    expect(settled).toBe(true)
    const recorded = calls.filter((c) => c.sim.recordingId !== undefined)
    expect(recorded.length).toBeGreaterThanOrEqual(4)
    expect(harness.zoho.sim.state.attachments()).toHaveLength(recorded.length)
  })

  it('notified once per missed call and voicemail (e-mail and chat) and once per new lead (chat)', () => {
    const { harness } = run
    expect(settled).toBe(true)
    const unanswered = calls.filter(
      (c) => c.spec.direction === 'Inbound' && c.spec.result !== 'answered',
    )
    const newNumbers = new Set(calls.filter((c) => !c.known).map((c) => externalOf(c.spec)))
    expect(harness.mail).toHaveLength(unanswered.length)
    expect(harness.chat).toHaveLength(unanswered.length + newNumbers.size)
  })
})
