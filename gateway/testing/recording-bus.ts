/**
 * @module gateway/testing/recording-bus
 * A Bus for tests that records what was published and can be switched to fail or hang, to play
 * Kafka being down. Subscriptions are not supported (gateway tests only publish).
 */
import type { Bus, BusHeaders, OutgoingMessage } from '../../platform/bus/port.ts'

export interface Published {
  readonly topic: string
  readonly key: string
  readonly value: string
  readonly headers: BusHeaders
}

export type BusMode = 'up' | 'down' | 'hang'

export const createRecordingBus = () => {
  const published: Published[] = []
  let mode: BusMode = 'up'
  let produceCalls = 0
  const hung: (() => void)[] = []
  const bus: Bus = {
    publish: async (topic, messages: readonly OutgoingMessage[]) => {
      produceCalls += 1
      if (mode === 'down')
        throw new Error('KafkaJSConnectionError: connect ECONNREFUSED 127.0.0.1:9092')
      if (mode === 'hang') await new Promise<void>((resolve) => hung.push(resolve))
      for (const m of messages) {
        published.push({
          topic,
          key: m.key,
          value: typeof m.value === 'string' ? m.value : Buffer.from(m.value).toString('utf8'),
          headers: { ...m.headers },
        })
      }
    },
    subscribe: () => Promise.reject(new Error('the recording bus does not deliver')),
    ensureTopics: async () => {},
    health: {
      name: 'kafka',
      check: async () =>
        mode === 'up'
          ? { ok: true, latencyMs: 0 }
          : { ok: false, latencyMs: 0, error: `bus is ${mode}` },
    },
    close: async () => {},
  }
  return {
    bus,
    published,
    /** Produce calls made, including failed ones (group commit makes this far below requests). */
    produceCalls: () => produceCalls,
    setMode: (next: BusMode) => {
      mode = next
      if (next !== 'hang') for (const release of hung.splice(0)) release()
    },
    on: (topic: string) => published.filter((p) => p.topic === topic),
  }
}

export type RecordingBus = ReturnType<typeof createRecordingBus>
