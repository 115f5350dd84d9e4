/**
 * @module consumers/recording-attacher/filename
 * The name a recording gets as a CRM attachment: sortable by call time, unique by recording id,
 * with the extension of its media type.
 */

const extensions: Readonly<Record<string, string>> = {
  'audio/mpeg': 'mp3',
  'audio/mp3': 'mp3',
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/wave': 'wav',
}

/**
 * The attachment's file name: `call-recording-<local start, minutes>-<recordingId>.<ext>`.
 *
 * @example
 * ```ts
 * recordingFilename('2026-03-02T10:15:00.000Z', '4100023', 'audio/mpeg')
 * // 'call-recording-2026-03-02T10-15-4100023.mp3'
 * ```
 */
export const recordingFilename = (
  startTime: string,
  recordingId: string,
  contentType: string,
): string => {
  const base = (contentType.split(';')[0] ?? '').trim().toLowerCase()
  const stamp = startTime.slice(0, 16).replace(':', '-')
  const safeId = recordingId.replace(/[^A-Za-z0-9_-]/g, '_')
  return `call-recording-${stamp}-${safeId}.${extensions[base] ?? 'bin'}`
}
