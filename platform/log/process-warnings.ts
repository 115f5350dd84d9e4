/**
 * @module platform/log/process-warnings
 * Node prints process warnings (deprecations, experimental features, negative timer durations)
 * as free text on stderr, which breaks a JSON-lines log stream. While callbridge runs they go
 * through the logger instead: one JSON line each, at warn, with the service fields and secret
 * redaction of every other line. One known, harmless upstream warning is logged once, at debug.
 */
import type { Logger } from './logger.ts'

/**
 * kafkajs 2.2.4 sets timers with a negative duration on Node 24 (tulios/kafkajs#1751); Node runs
 * them after 1 ms, which is what kafkajs meant.
 */
const knownHarmless: Record<string, string> = {
  TimeoutNegativeWarning:
    'a timer with a negative duration (kafkajs 2.2.4 on Node 24, tulios/kafkajs#1751); Node runs it after 1 ms',
}

type WarningListener = (warning: Error) => void

/**
 * Replaces Node's stderr printer for process warnings with the logger. Returns a function that
 * puts the previous listeners back.
 */
export const routeProcessWarnings = (
  logger: Logger,
  target: NodeJS.EventEmitter = process,
): (() => void) => {
  const previous = target.listeners('warning') as WarningListener[]
  target.removeAllListeners('warning')
  const reported = new Set<string>()
  const onWarning: WarningListener = (warning) => {
    const code = (warning as Error & { code?: unknown }).code
    const fields = {
      warning: {
        name: warning.name,
        message: warning.message,
        ...(typeof code === 'string' ? { code } : {}),
      },
    }
    const known = knownHarmless[warning.name]
    if (known === undefined) {
      logger.warn(fields, 'process warning')
      return
    }
    if (reported.has(warning.name)) return
    reported.add(warning.name)
    logger.debug({ ...fields, explanation: known }, 'known harmless process warning (logged once)')
  }
  target.on('warning', onWarning)
  return () => {
    target.off('warning', onWarning)
    for (const listener of previous) target.on('warning', listener)
  }
}
