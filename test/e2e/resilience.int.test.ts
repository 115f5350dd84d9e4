import { describe, expect, it } from 'vitest'
import { faultsApplied, pipelineProblems } from './problems.ts'
import { type PlacedCall, placeCalls, resilienceCalls } from './scenario.ts'
import { settle, until } from './settle.ts'
import { e2eServicesAvailable, useHarness } from './setup.ts'

// Eight of the calls of pipeline.int.test.ts, while things go wrong: the lead-matcher is
// SIGKILLed while completed calls wait for it, the call-tracker while it folds the webhooks of the
// second half of the calls (the rest of them pile up in Kafka while it is down), both are
// restarted, and Zoho answers 429 and 500 to a share of all CRM requests. Nothing may be lost and
// nothing may happen twice.
const available = await e2eServicesAvailable()

// No retry: a second attempt would place its calls into the same, already used pipeline.
describe.skipIf(!available)(
  'pipeline end to end, with crashes and Zoho errors',
  { retry: 0 },
  () => {
    const run = useHarness('resilience', 11)

    it('loses nothing and doubles nothing when consumers are killed and Zoho answers 429 and 500', async () => {
      const { harness, known, numbers } = run
      harness.zoho.sim.setFaults({ status429Rate: 0.15, status500Rate: 0.15, seed: 4242 })
      const planned = resilienceCalls(numbers, known)
      const calls: PlacedCall[] = await placeCalls(harness, planned.slice(0, 4))
      harness.mark('first half of the calls placed; Zoho faults on')

      // The lead-matcher dies in the middle of its work: completed calls are waiting for it and it
      // has logged some in Zoho already; it may die between Zoho's answer and the ledger's
      // confirmation too (a pending claim), which its restart must settle by finding the record.
      const tracker = harness.process('call-tracker')
      const leadMatcher = harness.process('lead-matcher')
      const completedSessions = () =>
        new Set(harness.events.filter((e) => e.topic === 'calls.completed').map((e) => e.key)).size
      const activityClaims = async () => {
        const { rows } = await harness.db.query<{ pending: number; done: number }>(
          `SELECT count(*) FILTER (WHERE done_at IS NULL)::int AS pending,
                count(*) FILTER (WHERE done_at IS NOT NULL)::int AS done
         FROM call_effects WHERE effect = 'call_activity'`,
        )
        return rows[0] ?? { pending: 0, done: 0 }
      }
      await until(
        harness,
        async () => {
          const logged = harness.zoho.sim.state.records('Calls').length
          const claims = await activityClaims()
          const waiting = completedSessions() > logged || logged >= 4
          return logged >= 1 && waiting && claims.done >= 1
        },
        {
          timeoutMs: 120_000,
          intervalMs: 20,
          what: 'completed calls waiting for the lead-matcher',
        },
      )
      await leadMatcher.kill('SIGKILL')
      harness.mark('lead-matcher killed (SIGKILL)', {
        completed: completedSessions(),
        logged: harness.zoho.sim.state.records('Calls').length,
      })

      // The call-tracker dies while it folds the webhooks of the second half: some sessions are
      // half folded (their state in Redis), the rest of their webhooks pile up in Kafka.
      const handled = async () =>
        (await tracker.metrics())
          .split('\n')
          .filter((line) => line.startsWith('callbridge_consumer_messages_total{'))
          .filter(
            (line) => line.includes('consumer="call-tracker"') && line.includes('outcome="ok"'),
          )
          .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0)
      const before = await handled()
      const second = await placeCalls(harness, planned.slice(4))
      calls.push(...second)
      const folding = await until(
        harness,
        async () => {
          const now = await handled()
          return now >= before + 3 ? now : undefined
        },
        { timeoutMs: 60_000, intervalMs: 10, what: 'the call-tracker folding the second half' },
      )
      await tracker.kill('SIGKILL')
      const secondIds = new Set(second.map((c) => c.sim.telephonySessionId))
      const atKill = {
        handledBefore: before,
        handledAtKill: folding,
        secondHalfCompleted: harness.events.filter(
          (e) => e.topic === 'calls.completed' && e.key !== null && secondIds.has(e.key),
        ).length,
        logged: harness.zoho.sim.state.records('Calls').length,
      }
      harness.mark('call-tracker killed (SIGKILL)', atKill)

      await harness.rc.sim.flush()
      expect(faultsApplied(harness, calls)).toEqual([])
      harness.mark('every webhook of the second half accepted by the gateway')
      await Promise.all([tracker.start(), leadMatcher.start()])
      harness.mark('call-tracker and lead-matcher restarted')

      await settle(
        harness,
        () => pipelineProblems(harness, calls, { seededLeads: 1, seededContacts: 1 }),
        { timeoutMs: 300_000, what: 'every call in Zoho exactly once despite the failures' },
      )
      // They were killed mid-run: work was left for the restarted processes.
      expect(atKill.logged).toBeLessThan(calls.length)
      expect(atKill.secondHalfCompleted).toBeLessThan(second.length)
      expect(tracker.starts).toBeGreaterThanOrEqual(2)
      expect(leadMatcher.starts).toBeGreaterThanOrEqual(2)
      const zohoStats = harness.zoho.sim.stats()
      // The faults really hit the pipeline.
      expect(zohoStats.served429).toBeGreaterThan(0)
      expect(zohoStats.served500).toBeGreaterThan(0)
      expect(harness.zoho.sim.state.records('Calls')).toHaveLength(calls.length)
    }, 420_000)
  },
)
