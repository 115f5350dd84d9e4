/**
 * @module platform/health/check
 * The shape every dependency check returns, so /healthz can list Kafka, Redis, the database and,
 * later, API tokens the same way. Checks never throw: a failure is a value.
 */
export type HealthStatus =
  | { ok: true; latencyMs: number; details?: Record<string, unknown> }
  | { ok: false; latencyMs: number; error: string; details?: Record<string, unknown> }

export interface HealthCheck {
  /** Short, stable name shown in /healthz (`kafka`, `redis`, `database`, ...). */
  readonly name: string
  check(): Promise<HealthStatus>
}

/** Runs `probe` and turns its result or error into a HealthStatus, with the elapsed time. */
export const timedCheck = async (
  probe: () => Promise<Record<string, unknown> | undefined>,
): Promise<HealthStatus> => {
  const started = performance.now()
  try {
    const details = await probe()
    const latencyMs = Math.round(performance.now() - started)
    return details ? { ok: true, latencyMs, details } : { ok: true, latencyMs }
  } catch (error) {
    const latencyMs = Math.round(performance.now() - started)
    return { ok: false, latencyMs, error: error instanceof Error ? error.message : String(error) }
  }
}
