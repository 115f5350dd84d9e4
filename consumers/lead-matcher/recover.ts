/**
 * @module consumers/lead-matcher/recover
 * An effect whose ledger claim is pending was tried before and never confirmed: the worker died
 * between Zoho's answer and the ledger update, or Zoho answered 5xx after applying it. Before
 * doing it again, look for it in the CRM by what was written into it (the session marker line):
 *
 * - found → its id is confirmed in the ledger, nothing is created (`outcome="found"`);
 * - not found → created as usual (`outcome="created"`);
 * - the CRM could not be asked for now (rate limit, outage) → {@link UncheckedEffectError}: not a
 *   CRM error, so the claim stays pending and the retry looks again;
 * - the CRM refuses the lookup itself (e.g. a refresh token issued without `ZohoCRM.coql.READ`)
 *   → created anyway, with a warning: Zoho may then hold a twin (`outcome="unchecked"`).
 */
import { CrmError, isRetryableCrmError } from '../../integrations/crm/errors.ts'
import type { Logger } from '../../platform/log/logger.ts'
import type { LeadMatcherMetrics } from './metrics.ts'

/** The CRM could not be asked whether an unconfirmed effect exists; retry later. */
export class UncheckedEffectError extends Error {
  override readonly name = 'UncheckedEffectError'
}

/** What {@link recoverOrCreate} needs. */
export interface RecoverOptions {
  readonly effect: 'call_activity' | 'note'
  /** Looks for the effect in the CRM. */
  readonly find: () => Promise<{ id: string } | null>
  /** Does the effect (errors already mapped for the handler). */
  readonly create: () => Promise<{ id: string }>
  readonly logger: Logger
  readonly metrics: LeadMatcherMetrics
}

/**
 * Confirms an unconfirmed effect that the CRM already has, or does it.
 * @example
 * ```ts
 * await recoverOrCreate({ effect: 'note', find: () => crm.findNote(person, marker), create, logger, metrics })
 * ```
 */
export const recoverOrCreate = async ({
  effect,
  find,
  create,
  logger,
  metrics,
}: RecoverOptions): Promise<{ id: string }> => {
  let found: { id: string } | null
  try {
    found = await find()
  } catch (error) {
    if (!(error instanceof CrmError) || isRetryableCrmError(error)) {
      const reason = error instanceof Error ? error.message : String(error)
      throw new UncheckedEffectError(
        `${effect} claim is unconfirmed and the CRM could not be checked: ${reason}`,
        { cause: error },
      )
    }
    logger.warn(
      { err: error, effect },
      'unconfirmed claim and the CRM refuses the lookup: doing it again (the CRM may hold a twin)',
    )
    metrics.uncertain(effect, 'unchecked')
    return create()
  }
  if (found) {
    logger.info(
      { effect, crm_id: found.id },
      'unconfirmed claim: the CRM already has it, confirming',
    )
    metrics.uncertain(effect, 'found')
    return found
  }
  logger.info({ effect }, 'unconfirmed claim: the CRM does not have it, doing it now')
  metrics.uncertain(effect, 'created')
  return create()
}
