/**
 * @module simulators/ringcentral/webhook-http
 * The one outbound HTTP call RingCentral makes to a webhook: a POST with a deadline. Used by the
 * validation handshake and by deliveries. Never throws: failures (timeout, refused connection)
 * come back as values with a blacklist-style reason.
 */

/** What the receiver answered, or why it did not. */
export type WebhookAnswer =
  | {
      readonly ok: true
      readonly status: number
      readonly statusText: string
      readonly headers: Headers
      /** At most `readCap + 1` bytes of the body (enough to tell "too long"). */
      readonly body: Uint8Array
      readonly latencyMs: number
    }
  | {
      readonly ok: false
      readonly error: string
      readonly timedOut: boolean
      readonly latencyMs: number
    }

const readCapped = async (response: Response, cap: number): Promise<Uint8Array> => {
  if (!response.body) return new Uint8Array()
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value)
    size += value.byteLength
    if (size > cap) {
      await reader.cancel()
      break
    }
  }
  return Buffer.concat(chunks)
}

const describe = (error: unknown): { error: string; timedOut: boolean } => {
  const name = error instanceof Error ? error.name : ''
  if (name === 'TimeoutError' || name === 'AbortError') {
    return { error: 'I/O operation is failed. Details: [Read timed out]', timedOut: true }
  }
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined
  const code = typeof cause?.code === 'string' ? cause.code : undefined
  const detail = code === 'ECONNREFUSED' ? 'Connection refused' : (code ?? String(error))
  return { error: `I/O operation is failed. Details: [${detail}]`, timedOut: false }
}

/** POSTs `body` to `address` within `timeoutMs` (reading at most `readCap + 1` body bytes). */
export const postToWebhook = async (
  fetchImpl: typeof fetch,
  address: string,
  init: {
    readonly headers: Readonly<Record<string, string>>
    readonly body: string
    readonly timeoutMs: number
    readonly readCap?: number
  },
): Promise<WebhookAnswer> => {
  const started = performance.now()
  const signal = AbortSignal.timeout(init.timeoutMs)
  try {
    const response = await fetchImpl(address, {
      method: 'POST',
      headers: init.headers,
      body: init.body,
      signal,
      redirect: 'manual',
    })
    const body = await readCapped(response, init.readCap ?? 0)
    return {
      ok: true,
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
      body,
      latencyMs: Math.round(performance.now() - started),
    }
  } catch (error) {
    return { ok: false, ...describe(error), latencyMs: Math.round(performance.now() - started) }
  }
}

/**
 * Approximate wire size of an HTTP/1.1 answer: status line, header lines, blank line and body.
 * `fetch` hides the raw bytes, so this is computed from what it exposes.
 */
export const wireSize = (answer: Extract<WebhookAnswer, { ok: true }>): number => {
  let size = `HTTP/1.1 ${answer.status} ${answer.statusText}\r\n`.length + 2
  for (const [name, value] of answer.headers) size += name.length + 2 + value.length + 2
  return size + answer.body.byteLength
}
