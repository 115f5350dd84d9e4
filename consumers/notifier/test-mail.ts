/**
 * @module consumers/notifier/test-mail
 * A small MIME reader for the tests' SMTP server: headers (unfolded), the subject (RFC 2047
 * words decoded) and the text/plain and text/html parts (quoted-printable or base64 decoded), as
 * nodemailer writes them. Tests only.
 */

const splitHead = (raw: string): { headers: Map<string, string>; body: string } => {
  const at = raw.indexOf('\r\n\r\n')
  const head = at < 0 ? raw : raw.slice(0, at)
  const headers = new Map<string, string>()
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':')
    if (colon > 0)
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim())
  }
  return { headers, body: at < 0 ? '' : raw.slice(at + 4) }
}

const decode = (body: string, encoding = '7bit'): string => {
  if (/^base64$/i.test(encoding))
    return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
  if (/^quoted-printable$/i.test(encoding)) {
    const bytes = body
      .replace(/=\r\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_, hex: string) =>
        String.fromCharCode(Number.parseInt(hex, 16)),
      )
    return Buffer.from(bytes, 'latin1').toString('utf8')
  }
  return body
}

/** Decodes an RFC 2047 encoded word (`=?UTF-8?Q?...?=` / `?B?`), as nodemailer writes them. */
const decodeWords = (value: string): string =>
  value.replace(/=\?utf-8\?([QB])\?([^?]*)\?=\s*/gi, (_, kind: string, text: string) =>
    kind.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : decode(text.replace(/_/g, ' '), 'quoted-printable'),
  )

/** Splits a message into subject, HTML part and text part (multipart/alternative or single part). */
export const parseMail = (raw: string) => {
  const { headers, body } = splitHead(raw)
  const parts: { type: string; content: string }[] = []
  const boundary = /boundary="?([^";]+)"?/i.exec(headers.get('content-type') ?? '')?.[1]
  const sections = boundary ? body.split(`--${boundary}`).slice(1, -1) : [raw]
  for (const section of sections) {
    const part = splitHead(section.replace(/^\r\n/, ''))
    parts.push({
      type: part.headers.get('content-type') ?? 'text/plain',
      content: decode(
        part.body.replace(/\r\n$/, ''),
        part.headers.get('content-transfer-encoding'),
      ),
    })
  }
  const find = (type: string) => parts.find((p) => p.type.startsWith(type))?.content ?? ''
  return {
    headers,
    subject: decodeWords(headers.get('subject') ?? ''),
    html: find('text/html'),
    text: find('text/plain'),
  }
}
