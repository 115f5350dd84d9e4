/**
 * @module consumers/lead-matcher/once
 * One external effect of a call, done at most once through the ledger's claim / complete /
 * release protocol (consumers/ledger/ledger.ts). `done` returns the recorded id; `claimed` runs
 * the effect; `pending` (claimed earlier, never confirmed) runs it with `uncertain: true`, because
 * an earlier attempt may have done it: the effect decides how to check or mark that.
 */
import type { EffectName, Ledger } from '../ledger/ledger.ts'
import { surelyNotApplied } from './crm-errors.ts'

/** The ledger operations the lead-matcher uses. */
export type LedgerPort = Pick<
  Ledger,
  'claim' | 'complete' | 'release' | 'recordCompleted' | 'setCrmFacts' | 'call'
>

/** How a once-effect ended. */
export interface OnceResult {
  /** The external id (Zoho record id) of the effect. */
  readonly id: string
  /** False when the ledger already had it done (a redelivery). */
  readonly fresh: boolean
  /** True when it was redone after an unconfirmed earlier attempt. */
  readonly uncertain: boolean
}

/**
 * Runs `run` unless the ledger has `effect` of `session` done.
 * @example
 * ```ts
 * const { id } = await once(ledger, session, 'call_activity', (uncertain) => crm.logCall(activityOf(uncertain)))
 * ```
 */
export const once = async (
  ledger: LedgerPort,
  session: string,
  effect: EffectName,
  run: (uncertain: boolean, claimedAt: Date | undefined) => Promise<{ id: string }>,
): Promise<OnceResult> => {
  const claim = await ledger.claim(session, effect)
  if (claim.status === 'done') {
    if (claim.externalId === null) {
      throw new Error(`ledger: ${effect} of ${session} is done without an id`)
    }
    return { id: claim.externalId, fresh: false, uncertain: false }
  }
  const uncertain = claim.status === 'pending'
  let done: { id: string }
  try {
    done = await run(uncertain, uncertain ? claim.claimedAt : undefined)
  } catch (error) {
    if (surelyNotApplied(error)) await ledger.release(session, effect)
    throw error
  }
  await ledger.complete(session, effect, '', done.id)
  return { id: done.id, fresh: true, uncertain }
}
