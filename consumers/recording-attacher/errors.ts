/**
 * @module consumers/recording-attacher/errors
 * How the attacher classifies failures: retry later (the recording is not ready yet, another
 * delivery is still uploading it, RingCentral or Zoho is unavailable) or park in the DLQ now
 * (a PermanentError whose message is the reason an operator reads).
 */
import { CrmError, CrmTooLargeError } from '../../integrations/crm/errors.ts'
import { RingCentralApiError } from '../../integrations/ringcentral/index.ts'
import { PermanentError } from '../runtime/index.ts'

/** RingCentral answered 404 (`CMN-102`): the recording is not available yet. Retryable. */
export class RecordingNotReadyError extends Error {
  override readonly name = 'RecordingNotReadyError'
  /** Routine: logged at info, without a stack, when a retry is scheduled. */
  readonly expected = true
}

/** Another delivery claimed this recording moments ago and has not confirmed it yet. Retryable. */
export class AttachmentInProgressError extends Error {
  override readonly name = 'AttachmentInProgressError'
}

/**
 * An unconfirmed attachment could not be looked for in the CRM (rate limit, outage). Retryable;
 * the claim stays pending so the retry looks again instead of uploading blindly.
 */
export class AttachmentCheckError extends Error {
  override readonly name = 'AttachmentCheckError'
}

const mebibytes = (bytes: number): string => `${(bytes / (1024 * 1024)).toFixed(1)} MiB`

/** `3145728 bytes (3.0 MiB)` */
export const describeBytes = (bytes: number): string => `${bytes} bytes (${mebibytes(bytes)})`

/** The DLQ reason for a recording over the size limit, naming both numbers. */
export const tooLargeError = (
  recordingId: string,
  size: number | undefined,
  limit: number | undefined,
  cause?: unknown,
): PermanentError =>
  new PermanentError(
    `recording ${recordingId} is too large for a CRM attachment: ` +
      `${size === undefined ? 'size unknown (more than the limit was streamed)' : describeBytes(size)}, ` +
      `limit ${limit === undefined ? 'not stated by the CRM' : describeBytes(limit)}`,
    cause === undefined ? undefined : { cause },
  )

/**
 * Maps a failure of `recordingContent`: 404 → {@link RecordingNotReadyError}; 408, 429 and 5xx
 * → rethrown (retry); any other 4xx (403 no permission, 400) → PermanentError; anything else
 * (budget wait, network) → rethrown.
 */
export const recordingFetchError = (recordingId: string, error: unknown): Error => {
  if (!(error instanceof RingCentralApiError)) {
    return error instanceof Error ? error : new Error(String(error))
  }
  if (error.status === 404) {
    return new RecordingNotReadyError(
      `recording ${recordingId} is not available yet (RingCentral ${error.status} ${error.errorCode ?? ''})`.trim(),
      { cause: error },
    )
  }
  if (error.status === 408 || error.status === 429 || error.status >= 500) return error
  return new PermanentError(`RingCentral refused recording ${recordingId}: ${error.message}`, {
    cause: error,
  })
}

/**
 * Maps a failure of `crm.attachFile`: too large → PermanentError naming size and limit; other
 * non-retryable CRM errors → PermanentError; retryable ones and unknown errors → rethrown.
 */
export const attachError = (
  recordingId: string,
  size: number | undefined,
  error: unknown,
): Error => {
  if (error instanceof CrmTooLargeError) {
    return tooLargeError(recordingId, size, error.limitBytes, error)
  }
  if (error instanceof CrmError && !error.retryable) {
    return new PermanentError(`the CRM refused recording ${recordingId}: ${error.message}`, {
      cause: error,
    })
  }
  return error instanceof Error ? error : new Error(String(error))
}
