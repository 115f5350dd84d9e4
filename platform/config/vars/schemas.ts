/**
 * @module platform/config/vars/schemas
 * The shape of a variable's entry and the value schemas entries share.
 */
import { z } from 'zod'

export interface VarSpec {
  readonly schema: z.ZodType
  readonly group: string
  readonly description: string
  readonly example: string
  /** Used when no source sets the variable. Absent = optional (or required, see `required`). */
  readonly default?: string
  /** Start-up fails when it is missing. */
  readonly required?: boolean
  /** Never printed, logged or exported: `callbridge config` shows it as `<redacted>`. */
  readonly secret?: boolean
}

export const list = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  )
  .pipe(z.array(z.string()).min(1, 'must list at least one value'))

export const hostPortList = list.pipe(
  z.array(
    z
      .string()
      .regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'each entry must be host:port, e.g. 127.0.0.1:9092'),
  ),
)

export const port = z.coerce
  .number({ error: 'must be a port number' })
  .int('must be a whole number')
  .min(0, 'must be between 0 and 65535')
  .max(65535, 'must be between 0 and 65535')
export const positiveInt = z.coerce
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .positive('must be greater than 0')
export const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
export const bool = z.stringbool({ error: 'must be true or false' })
