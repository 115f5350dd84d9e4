/**
 * @module consumers/shared/publish
 * Publishes a pipeline event (calls.completed, calls.matched, recordings.attached) the way the
 * gateway publishes webhooks: JSON value, CloudEvents headers (`ce_id` is the event's idempotency
 * key, so consumers and replays can recognise copies), and the active trace context.
 */
import type { Bus } from '../../platform/bus/port.ts'
import { cloudEventHeaders } from '../../schemas/cloudevents.ts'

export interface PipelineEvent {
  readonly topic: string
  readonly key: string
  /** Stable id of this fact, e.g. `call:<telephonySessionId>`. */
  readonly id: string
  /** e.g. `callbridge.call.completed` */
  readonly type: string
  /** e.g. `/callbridge/call-tracker` */
  readonly source: string
  readonly value: unknown
  readonly time?: Date
}

export const publishEvent = (bus: Bus, event: PipelineEvent): Promise<void> =>
  bus.publish(event.topic, [
    {
      key: event.key,
      value: JSON.stringify(event.value),
      headers: {
        ...cloudEventHeaders({
          id: event.id,
          source: event.source,
          type: event.type,
          time: (event.time ?? new Date()).toISOString(),
        }),
        'content-type': 'application/json',
      },
    },
  ])
