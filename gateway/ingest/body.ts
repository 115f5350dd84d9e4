/**
 * @module gateway/ingest/body
 * Turns the raw request bytes into JSON, with the error a sender can act on.
 */
const decoder = new TextDecoder('utf-8', { fatal: true })

export const isJsonContentType = (contentType: string | undefined): boolean =>
  /^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(contentType?.trim() ?? '')

/** `text` is the body as received (valid JSON): published as it is, never re-serialised. */
export type ParsedBody = { ok: true; json: unknown; text: string } | { ok: false; error: string }

export const parseJsonBody = (bytes: Uint8Array): ParsedBody => {
  let text: string
  try {
    text = decoder.decode(bytes)
  } catch {
    return { ok: false, error: 'body is not valid UTF-8' }
  }
  if (text.trim().length === 0) return { ok: false, error: 'body is empty' }
  try {
    return { ok: true, json: JSON.parse(text) as unknown, text }
  } catch (error) {
    return { ok: false, error: (error as Error).message }
  }
}
