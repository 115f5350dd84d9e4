/**
 * @module consumers/lead-matcher/crm-errors
 * How CRM failures become runtime outcomes. Rejected data (`CrmValidationError`, too large) can
 * never succeed: a {@link PermanentError} parks the event in the DLQ at once, with the CRM error
 * as `cause`. Everything else is rethrown for the runtime to retry: rate limits, outages, and
 * auth errors too (a credentials fix within the retry window then heals the backlog without a
 * DLQ replay; after the last attempt they are parked anyway).
 */
import { CrmAuthError, CrmError, CrmUnavailableError } from '../../integrations/crm/errors.ts'
import { PermanentError } from '../runtime/index.ts'

/**
 * The error a handler should throw for `error`, raised while doing `what`.
 * @example
 * ```ts
 * try { await crm.logCall(activity) } catch (error) { throw asHandlerError(error, 'logging the call') }
 * ```
 */
export const asHandlerError = (error: unknown, what: string): unknown => {
  if (error instanceof CrmError && !error.retryable && !(error instanceof CrmAuthError)) {
    return new PermanentError(`${what}: ${error.message}`, { cause: error })
  }
  return error
}

/**
 * True when the failed CRM call (or the PermanentError made of it) surely changed nothing, so its ledger claim may be given back.
 * False after an unknown outcome (a create that timed out or got a 5xx may have been applied)
 * and for errors that are not the CRM's: the claim then stays pending and is re-checked.
 */
export const surelyNotApplied = (error: unknown): boolean => {
  const crmError = error instanceof PermanentError ? error.cause : error
  return (
    crmError instanceof CrmError &&
    !(crmError instanceof CrmUnavailableError && crmError.outcomeUnknown)
  )
}

/**
 * Runs a CRM call, turning its failure into the handler error of {@link asHandlerError}.
 * @example
 * ```ts
 * const person = await viaCrm('searching the caller', () => crm.findPersonByPhone(e164))
 * ```
 */
export const viaCrm = async <T>(what: string, call: () => Promise<T>): Promise<T> => {
  try {
    return await call()
  } catch (error) {
    throw asHandlerError(error, what)
  }
}
