/**
 * @module simulators/ringcentral/handshake
 * The validation request RingCentral sends before it creates a WebHook subscription: an empty POST
 * with a random `Validation-Token` (and the `Verification-Token`, when set). The receiver must
 * answer 200 within `webhookTimeoutMs`, echo `Validation-Token`, and keep the whole answer
 * (headers + body) within 1024 bytes; otherwise creation fails with 400 SUB-525.
 */
import { apiError, type RingCentralApiError } from './errors.ts'
import type { SimCore } from './state.ts'
import { postToWebhook, wireSize } from './webhook-http.ts'

/** Largest accepted validation answer, bytes. */
export const maxValidationAnswerBytes = 1024

/** Why a handshake failed (for tests and `/_sim`), or ok. */
export type HandshakeResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: string }

/** Performs the validation handshake against `address`. */
export const validateWebhook = async (
  core: SimCore,
  address: string,
  verificationToken: string | undefined,
): Promise<HandshakeResult> => {
  const validationToken = core.ids.secret()
  const answer = await postToWebhook(core.config.fetch, address, {
    headers: {
      'Validation-Token': validationToken,
      ...(verificationToken === undefined ? {} : { 'Verification-Token': verificationToken }),
      'User-Agent': 'RingCentral-Webhook/8.3',
    },
    body: '',
    timeoutMs: core.config.webhookTimeoutMs,
    readCap: maxValidationAnswerBytes,
  })
  const result: HandshakeResult = !answer.ok
    ? { ok: false, reason: answer.error }
    : answer.status !== 200
      ? { ok: false, reason: `status ${answer.status}` }
      : answer.headers.get('validation-token') !== validationToken
        ? { ok: false, reason: 'Validation-Token not echoed' }
        : wireSize(answer) > maxValidationAnswerBytes
          ? { ok: false, reason: `answer of ${wireSize(answer)} bytes exceeds 1024` }
          : { ok: true }
  if (result.ok) core.counters.handshakes.ok++
  else core.counters.handshakes.failed++
  return result
}

/** 400 SUB-525, the error of a failed handshake. */
export const invalidWebhookResponse = (): RingCentralApiError =>
  apiError(400, 'SUB-525', 'WebHook server response is invalid')
