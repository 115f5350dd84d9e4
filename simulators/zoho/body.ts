/**
 * @module simulators/zoho/body
 * Request bodies at the trust boundary: JSON parsed once, then checked with zod. A missing key is
 * 400 MANDATORY_NOT_FOUND and a wrong one 400 INVALID_DATA, each with the `api_name` and
 * `json_path` Zoho puts in `details`; unparseable JSON is 400 INVALID_DATA "body".
 */
import type { Context } from 'hono'
import type { z } from 'zod'
import { errors, ZohoHttpError, zohoError } from './errors.ts'

const jsonPath = (path: readonly PropertyKey[]) =>
  path.reduce<string>(
    (out, key) => (typeof key === 'number' ? `${out}[${key}]` : `${out}.${String(key)}`),
    '$',
  )

/** Maps the first zod issue to Zoho's MANDATORY_NOT_FOUND or INVALID_DATA. */
export const bodyError = (error: z.ZodError): ZohoHttpError => {
  const issue = error.issues[0]
  const path = issue?.path ?? []
  const named = [...path].reverse().find((key) => typeof key === 'string')
  const details = { api_name: String(named ?? 'body'), json_path: jsonPath(path) }
  const missing = issue?.code === 'invalid_type' && issue.input === undefined
  return new ZohoHttpError(
    400,
    missing
      ? zohoError('MANDATORY_NOT_FOUND', 'required field not found', details)
      : zohoError('INVALID_DATA', 'invalid data', details),
  )
}

/**
 * Parses JSON the way Zoho's servers read it: integers beyond 2^53 (19-digit ids sent as
 * numbers, as the SDK sends `BigInt`s) are kept exactly, as digit strings.
 */
export const parseJsonLossless = (text: string): unknown =>
  JSON.parse(text, (_key, value: unknown, context?: { source?: string }) =>
    typeof value === 'number' &&
    !Number.isSafeInteger(value) &&
    /^-?\d+$/.test(context?.source ?? '')
      ? context?.source
      : value,
  )

/** The request's JSON body (Hono caches the text), or undefined when it is not JSON. */
export const jsonBody = async (c: Context): Promise<unknown> => {
  const text = await c.req.text().catch(() => '')
  try {
    return parseJsonLossless(text)
  } catch {
    return undefined
  }
}

/** The JSON body of `c`, validated by `schema`; throws the Zoho error otherwise. */
export const readJson = async <T>(c: Context, schema: z.ZodType<T>): Promise<T> => {
  const json = await jsonBody(c)
  if (json === undefined) throw errors.invalidBody()
  const parsed = schema.safeParse(json)
  if (!parsed.success) throw bodyError(parsed.error)
  return parsed.data
}

/** HTTP status of a batch: all succeeded → `ok`, some → 202, none → 400. */
export const batchStatus = (
  results: readonly { readonly status: string }[],
  ok: 200 | 201,
): 200 | 201 | 202 | 400 => {
  const failed = results.filter((result) => result.status === 'error').length
  if (failed === 0) return ok
  return failed === results.length ? 400 : 202
}
