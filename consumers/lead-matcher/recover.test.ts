import { describe, expect, it } from 'vitest'
import {
  CrmAuthError,
  CrmRateLimitedError,
  CrmUnavailableError,
} from '../../integrations/crm/errors.ts'
import { createLogger } from '../../platform/log/logger.ts'
import { surelyNotApplied } from './crm-errors.ts'
import type { LeadMatcherMetrics, UncertainOutcome } from './metrics.ts'
import { recoverOrCreate, UncheckedEffectError } from './recover.ts'

const setup = (find: () => Promise<{ id: string } | null>) => {
  const lines: Record<string, unknown>[] = []
  const settled: UncertainOutcome[] = []
  let creates = 0
  const metrics: LeadMatcherMetrics = {
    call: () => {},
    uncertain: (_effect, outcome) => settled.push(outcome),
  }
  const logger = createLogger({
    service: 'test',
    environment: 'test',
    version: 'test',
    level: 'info',
    destination: { write: (line: string) => lines.push(JSON.parse(line)) },
  })
  const run = () =>
    recoverOrCreate({
      effect: 'call_activity',
      find,
      create: async () => {
        creates += 1
        return { id: 'created' }
      },
      logger,
      metrics,
    })
  return { run, settled, lines, creates: () => creates }
}

describe('recovering an unconfirmed effect', () => {
  it('returns the record the CRM already has and creates nothing', async () => {
    const { run, settled, creates } = setup(async () => ({ id: 'existing' }))
    expect(await run()).toEqual({ id: 'existing' })
    expect(creates()).toBe(0)
    expect(settled).toEqual(['found'])
  })

  it('creates the record when the CRM does not have it', async () => {
    const { run, settled, creates } = setup(async () => null)
    expect(await run()).toEqual({ id: 'created' })
    expect(creates()).toBe(1)
    expect(settled).toEqual(['created'])
  })

  it('fails with an error that keeps the claim pending when the CRM cannot be asked for now', async () => {
    for (const error of [
      new CrmRateLimitedError('throttled'),
      new CrmUnavailableError('down'),
      new TypeError('bug'),
    ]) {
      const { run, settled, creates } = setup(async () => {
        throw error
      })
      const failure = await run().catch((caught: unknown) => caught)
      expect(failure).toBeInstanceOf(UncheckedEffectError)
      expect(failure).toMatchObject({ cause: error })
      expect(surelyNotApplied(failure)).toBe(false)
      expect(creates()).toBe(0)
      expect(settled).toEqual([])
    }
  })

  it('creates anyway, with a warning, when the CRM refuses the lookup itself (e.g. a missing scope)', async () => {
    const { run, settled, creates, lines } = setup(async () => {
      throw new CrmAuthError('OAUTH_SCOPE_MISMATCH', { code: 'OAUTH_SCOPE_MISMATCH' })
    })
    expect(await run()).toEqual({ id: 'created' })
    expect(creates()).toBe(1)
    expect(settled).toEqual(['unchecked'])
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 'warn', effect: 'call_activity' }),
    )
  })
})
