/**
 * @module simulators/ringcentral/filters
 * Event filters: which ones a subscription may hold, and which notifications they match. Filters
 * are matched by path shape with `~` or real ids; the envelope `event` carries real ids (never
 * `~`) and the filter's query string. Renewal reminders keep the filter exactly as written.
 */
import type { CallParty } from '../../schemas/ringcentral/telephony-session.ts'
import { callStatusCodes } from '../../schemas/ringcentral/telephony-session.ts'
import { apiError } from './errors.ts'
import { findExtension, type SimCore, type SubscriptionRecord } from './state.ts'

/** A validated filter with `~` resolved. */
export type ParsedFilter =
  | {
      readonly kind: 'telephony'
      readonly accountId: string
      readonly extensionId: string | undefined
      readonly query: string
    }
  | { readonly kind: 'voicemail'; readonly accountId: string; readonly extensionId: string }
  | {
      readonly kind: 'message-store'
      readonly accountId: string
      readonly extensionId: string
      readonly query: string
    }
  | {
      readonly kind: 'reminder'
      readonly raw: string
      readonly threshold: number
      readonly interval: number
    }
  /** Presence, extension info …: accepted, but the simulator never fires them. */
  | { readonly kind: 'passive' }

const PREFIX = '/restapi/v1.0'
const shapes: readonly [RegExp, 'telephony' | 'voicemail' | 'message-store' | 'passive'][] = [
  [/^\/account\/([^/?]+)\/telephony\/sessions$/, 'telephony'],
  [/^\/account\/([^/?]+)\/extension\/([^/?]+)\/telephony\/sessions$/, 'telephony'],
  [/^\/account\/([^/?]+)\/extension\/([^/?]+)\/voicemail$/, 'voicemail'],
  [/^\/account\/([^/?]+)\/extension\/([^/?]+)\/message-store$/, 'message-store'],
  [/^\/account\/([^/?]+)\/extension\/([^/?]+)\/presence(?:\/line)?$/, 'passive'],
  [/^\/account\/([^/?]+)\/extension(?:\/([^/?]+))?$/, 'passive'],
]

const telephonyParams: Readonly<Record<string, (v: string) => boolean>> = {
  direction: (v) => v === 'Inbound' || v === 'Outbound',
  missedCall: (v) => v === 'true' || v === 'false',
  statusCode: (v) => (callStatusCodes as readonly string[]).includes(v),
  phoneNumber: (v) => /^\+?\d{3,15}$/.test(v),
  sipData: (v) => v === 'true' || v === 'false',
  withRecordings: (v) => v === 'true' || v === 'false',
}

const invalidFilters = (filters: readonly string[]) =>
  apiError(400, 'SUB-508', `Invalid event filters: [${filters.join(', ')}]`)

const parseOne = (
  core: SimCore,
  raw: string,
  ownerId: string,
  ttlS: number,
): ParsedFilter | undefined => {
  const [path = '', query = ''] = raw.split('?', 2)
  if (!path.startsWith(PREFIX)) return undefined
  const rest = path.slice(PREFIX.length)
  const params = new URLSearchParams(query)
  const reminder = /^\/subscription\/~$/.exec(rest)
  if (reminder) {
    const threshold = Number(params.get('threshold'))
    const interval = Number(params.get('interval'))
    const ok =
      Number.isInteger(threshold) &&
      Number.isInteger(interval) &&
      threshold > 0 &&
      interval > 0 &&
      threshold <= ttlS / 2 &&
      interval <= threshold / 2
    return ok ? { kind: 'reminder', raw, threshold, interval } : undefined
  }
  for (const [pattern, kind] of shapes) {
    const match = pattern.exec(rest)
    if (!match) continue
    const [, account = '', extension] = match
    if (account !== '~' && account !== core.config.accountId) {
      throw apiError(
        403,
        'SUB-406',
        'Not allowed subscribe for events to extensions of other account',
      )
    }
    const extensionId = extension === '~' ? ownerId : extension
    if (extensionId !== undefined && !findExtension(core, extensionId)) {
      throw apiError(403, 'SUB-408', 'Not allowed subscribe for unknown user')
    }
    const accountId = core.config.accountId
    if (kind === 'telephony') {
      for (const [name, value] of params) if (!telephonyParams[name]?.(value)) return undefined
      return { kind, accountId, extensionId, query }
    }
    if (kind === 'passive') return { kind }
    if (extensionId === undefined) return undefined
    return kind === 'voicemail'
      ? { kind, accountId, extensionId }
      : { kind, accountId, extensionId, query }
  }
  return undefined
}

/**
 * Validates a subscription's filters (for a TTL of `ttlS`). Throws 400 SUB-508 naming the invalid
 * ones, 403 SUB-406 for another account, 403 SUB-408 for an unknown extension.
 */
export const parseFilters = (
  core: SimCore,
  filters: readonly string[],
  ownerId: string,
  ttlS: number,
): ParsedFilter[] => {
  const parsed = filters.map((raw) => parseOne(core, raw, ownerId, ttlS))
  const invalid = filters.filter((_, i) => parsed[i] === undefined)
  if (invalid.length > 0 || filters.length === 0) throw invalidFilters(invalid)
  return parsed.filter((p): p is ParsedFilter => p !== undefined)
}

/** A stored subscription's filters that still parse (a reminder may not fit a shorter TTL). */
export const usableFilters = (core: SimCore, sub: SubscriptionRecord): ParsedFilter[] =>
  sub.eventFilters.flatMap((raw) => {
    try {
      return parseFilters(core, [raw], sub.ownerId, sub.requestedExpiresIn)
    } catch {
      return []
    }
  })

const withQuery = (path: string, query: string) => (query ? `${path}?${query}` : path)

const partyMatches = (query: string, party: CallParty): boolean => {
  const params = new URLSearchParams(query)
  const direction = params.get('direction')
  if (direction !== null && party.direction !== direction) return false
  const missed = params.get('missedCall')
  if (missed !== null && (party.missedCall ?? false) !== (missed === 'true')) return false
  const status = params.get('statusCode')
  if (status !== null && party.status.code !== status) return false
  const phone = params.get('phoneNumber')
  const digits = (n: string | undefined) => (n ?? '').replace(/^\+/, '')
  if (
    phone !== null &&
    ![party.from?.phoneNumber, party.to?.phoneNumber].some((n) => digits(n) === digits(phone))
  ) {
    return false
  }
  if (params.get('withRecordings') === 'true' && !(party.recordings?.length ?? 0)) return false
  return true
}

/** What a telephony event is about: its party, and whether that party joined by transfer. */
export interface TelephonyFacts {
  readonly party: CallParty
  readonly transferLeg: boolean
}

/**
 * The envelope `event` when `filter` matches the telephony event, else undefined. An account-level
 * filter reports transferred-to legs under their extension path, as RingCentral sometimes does.
 */
export const matchTelephony = (filter: ParsedFilter, facts: TelephonyFacts): string | undefined => {
  if (filter.kind !== 'telephony') return undefined
  const { party } = facts
  if (filter.extensionId !== undefined && party.extensionId !== filter.extensionId) return undefined
  if (!partyMatches(filter.query, party)) return undefined
  const account = `${PREFIX}/account/${filter.accountId}`
  const extension = filter.extensionId ?? (facts.transferLeg ? party.extensionId : undefined)
  const path =
    extension === undefined
      ? `${account}/telephony/sessions`
      : `${account}/extension/${extension}/telephony/sessions`
  return withQuery(path, filter.query)
}

/** The envelope `event` of a voicemail (`voicemail`) or its message-store change (`message-store`). */
export const matchMessage = (
  filter: ParsedFilter,
  kind: 'voicemail' | 'message-store',
  extensionId: string,
): string | undefined => {
  if (filter.kind !== kind || filter.extensionId !== extensionId) return undefined
  const path = `${PREFIX}/account/${filter.accountId}/extension/${extensionId}/${kind}`
  if (filter.kind === 'voicemail') return path
  const params = new URLSearchParams(filter.query)
  const type = params.get('type')
  const direction = params.get('direction')
  if (type !== null && type.toLowerCase() !== 'voicemail') return undefined
  if (direction !== null && direction !== 'Inbound') return undefined
  return withQuery(path, filter.query)
}
