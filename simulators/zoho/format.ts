/**
 * @module simulators/zoho/format
 * Zoho's value formats: 19-digit record ids, `yyyy-MM-ddTHH:mm:ss±HH:mm` date-times (the org time
 * zone here is UTC), and access tokens shaped like Zoho's (`1000.<32 hex>.<32 hex>`).
 */
import { randomBytes } from 'node:crypto'

/** Zoho's date-time format, without milliseconds, e.g. `2026-03-02T10:15:00+00:00`. */
export const zohoDateTime = (ms: number): string =>
  `${new Date(ms).toISOString().slice(0, 19)}+00:00`

/** Date-times Zoho accepts in requests: seconds precision and an explicit offset. */
export const ZOHO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/

/** Parses a Zoho date-time to ms, or null when it is not one. */
export const parseZohoDateTime = (value: string): number | null => {
  if (!ZOHO_DATE_TIME.test(value)) return null
  const ms = Date.parse(value)
  return Number.isNaN(ms) ? null : ms
}

/** The org's id prefix: every id this simulator makes starts with it, like a real org's. */
const ORG_PREFIX = '5725767'

/** Makes 19-digit ids (`5725767` + `000` + a 9-digit sequence), unique within one simulator. */
export const createIdSource = (start = 100_000_001) => {
  let next = start
  return (): string => `${ORG_PREFIX}000${String(next++).padStart(9, '0')}`
}

/** A record id as Zoho prints them: 19 digits here; any run of 10 to 20 digits is accepted. */
export const RECORD_ID = /^\d{10,20}$/

/** A new access token, e.g. `1000.3f…a1.9c…04`. */
export const newAccessToken = (): string =>
  `1000.${randomBytes(16).toString('hex')}.${randomBytes(16).toString('hex')}`

/** The digits of a value, e.g. `+1 (555) 123-4567` → `15551234567`. */
export const digitsOf = (value: string): string => value.replace(/\D+/g, '')
