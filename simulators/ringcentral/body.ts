/**
 * @module simulators/ringcentral/body
 * JSON request bodies at the simulator's trust boundary: parsed, then checked with zod. Malformed
 * JSON is 400 CMN-103; a value zod rejects is 400 CMN-101 naming the first bad parameter
 * (`deliveryMode.address`, `to[0].phoneNumber`, …).
 */
import type { z } from 'zod'
import { apiError, invalidParameter } from './errors.ts'

const parameterName = (path: readonly PropertyKey[]): string =>
  path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`))
    .join('') || 'body'

/** Parses `request`'s JSON body with `schema`; `undefined` when it is empty and `allowEmpty`. */
export const readJson = async <S extends z.ZodType>(
  request: Request,
  schema: S,
  { allowEmpty = false } = {},
): Promise<z.infer<S> | undefined> => {
  const text = await request.text()
  if (text.trim() === '') {
    if (allowEmpty) return undefined
    throw apiError(400, 'CMN-103', "JSON can't be parsed.")
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw apiError(400, 'CMN-103', "JSON can't be parsed.")
  }
  const parsed = schema.safeParse(json)
  if (!parsed.success) throw invalidParameter(parameterName(parsed.error.issues[0]?.path ?? []))
  return parsed.data
}

/** Parses a JSON body that must be present. */
export const requireJson = async <S extends z.ZodType>(
  request: Request,
  schema: S,
): Promise<z.infer<S>> => {
  const value = await readJson(request, schema)
  if (value === undefined) throw apiError(400, 'CMN-103', "JSON can't be parsed.")
  return value
}
