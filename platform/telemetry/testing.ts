/**
 * @module platform/telemetry/testing
 * Real in-memory tracing for tests: a TracerProvider with an InMemorySpanExporter behind a
 * SimpleSpanProcessor (finished spans are visible at once), async-hooks context and W3C
 * propagation, installed globally and removed again by `uninstall()`.
 */
import { context, propagation, trace } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { W3CTraceContextPropagator } from '@opentelemetry/core'
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace'

export const installTestTracing = () => {
  const exporter = new InMemorySpanExporter()
  // SDK 3 takes an options object; a bare exporter would silently export nothing.
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] })
  const contextManager = new AsyncLocalStorageContextManager().enable()
  context.setGlobalContextManager(contextManager)
  propagation.setGlobalPropagator(new W3CTraceContextPropagator())
  trace.setGlobalTracerProvider(provider)
  return {
    exporter,
    spans: () => exporter.getFinishedSpans(),
    reset: () => exporter.reset(),
    uninstall: async () => {
      await provider.shutdown()
      trace.disable()
      propagation.disable()
      context.disable()
      contextManager.disable()
    },
  }
}
