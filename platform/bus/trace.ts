/**
 * @module platform/bus/trace
 * Trace propagation shared by the bus adapters, written here once instead of per adapter (the
 * kafkajs auto-instrumentation is not used). Publishing runs inside a PRODUCER span `send <topic>`
 * whose context goes into each message's `traceparent`/`tracestate` headers; each delivery runs
 * inside a CONSUMER span `process <topic>`, a child of the context found in those headers.
 */
import {
  type Attributes,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api'
import type {
  BusHeaders,
  BusMessage,
  DeliveryControl,
  MessageHandler,
  OutgoingMessage,
} from './port.ts'

/** Instrumentation scope of the spans the bus creates. */
export const BUS_TRACER_NAME = 'callbridge.bus'

/** `messaging.system` of the embedded log (Kafka uses the registered value `kafka`). */
export const EMBEDDED_MESSAGING_SYSTEM = 'callbridge_embedded'

/** An outgoing message whose headers are final (trace context included). */
export interface TracedMessage {
  readonly key: string
  readonly value: string | Uint8Array
  readonly headers: BusHeaders
}

const tracer = () => trace.getTracer(BUS_TRACER_NAME)

const fail = (span: Span, error: unknown): void => {
  span.recordException(error instanceof Error ? error : String(error))
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: error instanceof Error ? error.message : String(error),
  })
}

/**
 * Copies the message's headers and writes the active trace context into them, unless the message
 * already carries a `traceparent` (a replayed message keeps the trace it was first published in).
 */
const withTraceHeaders = (message: OutgoingMessage): TracedMessage => {
  const headers: BusHeaders = { ...message.headers }
  if (!('traceparent' in headers)) propagation.inject(context.active(), headers)
  return { key: message.key, value: message.value, headers }
}

/**
 * Runs `send` inside a PRODUCER span `send <topic>` and hands it the messages with trace headers.
 * The span records the error when `send` rejects.
 */
export const tracedPublish = <T>(
  system: string,
  topic: string,
  messages: readonly OutgoingMessage[],
  send: (messages: readonly TracedMessage[]) => Promise<T>,
): Promise<T> => {
  const attributes: Attributes = {
    'messaging.system': system,
    'messaging.operation.type': 'send',
    'messaging.operation.name': 'send',
    'messaging.destination.name': topic,
    'messaging.batch.message_count': messages.length,
  }
  return tracer().startActiveSpan(
    `send ${topic}`,
    { kind: SpanKind.PRODUCER, attributes },
    async (span) => {
      try {
        return await send(messages.map(withTraceHeaders))
      } catch (error) {
        fail(span, error)
        throw error
      } finally {
        span.end()
      }
    },
  )
}

const deliveryAttributes = (system: string, groupId: string, message: BusMessage): Attributes => {
  const common: Attributes = {
    'messaging.system': system,
    'messaging.operation.type': 'process',
    'messaging.operation.name': 'process',
    'messaging.destination.name': message.topic,
    'messaging.destination.partition.id': String(message.partition),
    'messaging.consumer.group.name': groupId,
  }
  if (system !== 'kafka') return { ...common, 'messaging.message.id': message.offset }
  const kafka: Attributes = { ...common, 'messaging.kafka.offset': Number(message.offset) }
  if (message.key !== null) kafka['messaging.kafka.message.key'] = message.key
  return kafka
}

/**
 * Calls `handler` inside a CONSUMER span `process <topic>` whose parent is the trace context in
 * the message's headers (a new trace when there is none; never the caller's ambient context).
 * The span records the error when the handler rejects; the rejection is passed on.
 */
export const tracedDelivery = (
  system: string,
  groupId: string,
  message: BusMessage,
  handler: MessageHandler,
  control: DeliveryControl,
): Promise<void> => {
  const parent = propagation.extract(ROOT_CONTEXT, message.headers)
  return tracer().startActiveSpan(
    `process ${message.topic}`,
    { kind: SpanKind.CONSUMER, attributes: deliveryAttributes(system, groupId, message) },
    parent,
    async (span) => {
      try {
        await handler(message, control)
      } catch (error) {
        fail(span, error)
        throw error
      } finally {
        span.end()
      }
    },
  )
}
