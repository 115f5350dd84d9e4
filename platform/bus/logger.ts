/**
 * @module platform/bus/logger
 * The logging the bus adapters need: four levels taking (fields, message), which a pino Logger
 * satisfies as it is. The adapters never write to the console.
 */

/** Structured logger used by the bus adapters; pass the service's pino logger (or a child). */
export interface BusLogger {
  debug(fields: Record<string, unknown>, message: string): void
  info(fields: Record<string, unknown>, message: string): void
  warn(fields: Record<string, unknown>, message: string): void
  error(fields: Record<string, unknown>, message: string): void
}

const ignore = (): void => {}

/** A logger that drops everything: the default when none is given. */
export const silentBusLogger: BusLogger = {
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: ignore,
}
