/**
 * @module integrations/ringcentral/logger
 * The logging port of the client: the pino call shape `(fields, message)`, so the platform logger
 * (platform/log/logger.ts) fits as is. Nothing here ever logs a token or a secret.
 */

/** What the client needs from a logger; a pino `Logger` satisfies it. */
export interface RingCentralLogger {
  debug(fields: Record<string, unknown>, message: string): void
  info(fields: Record<string, unknown>, message: string): void
  warn(fields: Record<string, unknown>, message: string): void
  error(fields: Record<string, unknown>, message: string): void
}

const ignore = () => {}

/** A logger that drops everything (the default). */
export const silentLogger: RingCentralLogger = {
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: ignore,
}
