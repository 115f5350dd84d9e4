/**
 * @module platform/log/scrub
 * Secret scrubbing for serialized log lines: the last line of defence after pino's key-based
 * redaction. It removes the configured secret values wherever they appear (messages, error
 * stacks, URLs), JWTs, bearer/basic credentials and passwords in connection URLs.
 */

export const SCRUBBED = '[REDACTED]'

const escapeRegExp = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

const patterns: readonly RegExp[] = [
  // JSON Web Tokens (RingCentral JWT credentials and access tokens)
  /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g,
  // Authorization header values
  /(?<=\b(?:Bearer|Basic|Zoho-oauthtoken)\s+)[A-Za-z0-9._~+/=-]{6,}/gi,
  // passwords in URLs: scheme://user:password@host
  /(?<=[a-z][a-z0-9+.-]*:\/\/[^:/@\s"]*:)[^@\s"/]+(?=@)/gi,
]

/**
 * Returns a function that scrubs one serialized line. Secrets shorter than 6 characters are not
 * matched by value (they would mangle ordinary words); the config schema asks for longer ones.
 */
export const createScrubber = (secrets: readonly string[]) => {
  const literal = secrets
    .filter((s) => s.length >= 6)
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
  const bySecret = literal.length > 0 ? new RegExp(literal.join('|'), 'g') : undefined
  return (line: string): string => {
    let out = bySecret ? line.replace(bySecret, SCRUBBED) : line
    for (const pattern of patterns) out = out.replace(pattern, SCRUBBED)
    return out
  }
}
