// Tests cli/commands/dlq.ts (kept beside the runtime it drives).
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PermanentError } from '../../consumers/runtime/definition.ts'
import { openFixture, TestEvent, testEvent, text } from '../../consumers/runtime/test-fixture.ts'
import { createEmbeddedBus } from '../../platform/bus/embedded.ts'
import { loadConfig } from '../../platform/config/load.ts'
import { waitFor } from '../../test/wait-for.ts'
import { dlqCommand } from './dlq.ts'

let dir = ''
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'callbridge-dlq-cli-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** Parks ev-1 and ev-2 in the embedded log of `dir`; returns the topic. */
const parkTwo = async () => {
  const fx = openFixture(createEmbeddedBus({ path: path.join(dir, 'events.sqlite') }))
  const dlq = await fx.spy('dlq')
  await fx.start({
    name: 'parker',
    topic: fx.topic,
    schema: TestEvent,
    handle: async () => {
      throw new PermanentError('Zoho rejected it\nsecond line')
    },
  })
  await fx.publish(testEvent('ev-1', 1), testEvent('ev-2', 2))
  await fx.until(() => dlq.length === 2, 'two parked events')
  await fx.close()
  return fx.topic
}

const run = async (args: string[]) => {
  const lines: string[] = []
  const { config } = loadConfig({ env: { DATA_DIR: dir }, cwd: dir })
  const code = await dlqCommand(args, { config, print: (line) => lines.push(line) })
  return { code, lines }
}

describe('callbridge dlq', () => {
  it('lists the parked entries of a topic, one line each, then a count', async () => {
    const topic = await parkTwo()
    const { code, lines } = await run(['list', topic])
    expect(code).toBe(0)
    expect(lines).toHaveLength(3)
    expect(lines.find((line) => line.includes('ev-1'))).toMatch(
      /^\d+:\d+ {2}ev-1 {2}parker {2}attempts=1 {2}\S+Z {2}permanent: Zoho rejected it$/,
    )
    expect(lines.at(-1)).toBe(`2 entries in ${topic}.dlq`)
  })

  it('replays the entries asked for by id to the original topic, and fails on ids it did not find', async () => {
    const topic = await parkTwo()
    const replayed = await run(['replay', topic, '--id', 'ev-2'])
    expect(replayed).toEqual({
      code: 0,
      lines: ['read 2/2, replayed 1', `replayed 1 of 2 entries in ${topic}.dlq to ${topic}`],
    })
    const bus = createEmbeddedBus({ path: path.join(dir, 'events.sqlite') })
    const received: string[] = []
    await bus.subscribe({
      groupId: 'check',
      topics: [topic],
      handler: async (message) =>
        void received.push(`${message.headers['ce_id']} ${text(message)}`),
    })
    try {
      await waitFor(() => received.length === 3, { what: 'two originals and one replay' })
      expect(received.toSorted()).toEqual(['ev-1 {"n":1}', 'ev-2 {"n":2}', 'ev-2 {"n":2}'])
    } finally {
      await bus.close()
    }
    const missing = await run(['replay', topic, '--id', 'ev-404'])
    expect(missing.code).toBe(1)
    expect(missing.lines.at(-1)).toBe('not found: ev-404')
  })

  it('prints the usage and exits with 2 on a malformed command line', async () => {
    for (const args of [
      [],
      ['list'],
      ['purge', 't'],
      ['list', 't', '--id', 'x'],
      ['replay', 't', '--nope'],
    ]) {
      const { code, lines } = await run(args)
      expect(code).toBe(2)
      expect(lines[0]).toMatch(/^usage: callbridge dlq list <topic>/)
    }
  })

  it('reports an unknown topic as a failure', async () => {
    const { code, lines } = await run(['list', 'no-such-topic'])
    expect(code).toBe(1)
    expect(lines).toEqual(['callbridge dlq: unknown topic no-such-topic.dlq'])
  })
})
