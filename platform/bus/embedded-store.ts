/**
 * @module platform/bus/embedded-store
 * The embedded bus's durable log on node:sqlite: WAL journal with synchronous=FULL, so an append
 * whose call returned is on disk and survives a crash of the process. Offsets count from 0 per
 * topic-partition; a group's position is the next offset to deliver.
 */
import { DatabaseSync, type SQLOutputValue } from 'node:sqlite'
import type { BusHeaders } from './port.ts'

/** A message as stored; the offset is a number (the embedded log stays far below 2^53). */
export interface StoredMessage {
  readonly topic: string
  readonly partition: number
  readonly offset: number
  readonly key: string | null
  readonly value: Buffer
  readonly headers: BusHeaders
  readonly timestamp: number
}

/** A message to append, its partition not chosen yet. */
export interface AppendMessage {
  readonly key: string
  readonly value: string | Uint8Array
  readonly headers: BusHeaders
}

const schema = `
CREATE TABLE IF NOT EXISTS topics (
  name TEXT PRIMARY KEY,
  partitions INTEGER NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS messages (
  topic TEXT NOT NULL,
  "partition" INTEGER NOT NULL,
  "offset" INTEGER NOT NULL,
  key TEXT,
  value BLOB NOT NULL,
  headers TEXT NOT NULL,
  ts INTEGER NOT NULL,
  PRIMARY KEY (topic, "partition", "offset")
) STRICT, WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS group_offsets (
  group_id TEXT NOT NULL,
  topic TEXT NOT NULL,
  "partition" INTEGER NOT NULL,
  next_offset INTEGER NOT NULL,
  PRIMARY KEY (group_id, topic, "partition")
) STRICT;
`

/** FNV-1a (32 bit) over the key's UTF-8 bytes: a stable key → partition mapping. */
export const partitionOf = (key: string, partitions: number): number => {
  let hash = 0x811c9dc5
  for (const byte of Buffer.from(key, 'utf8')) {
    hash ^= byte
    hash = Math.imul(hash, 0x01000193)
  }
  return (hash >>> 0) % partitions
}

const int = (value: SQLOutputValue | undefined): number => {
  if (typeof value === 'number') return value
  if (typeof value === 'bigint') return Number(value)
  throw new TypeError(`expected an integer column, got ${typeof value}`)
}

const text = (value: SQLOutputValue | undefined): string => {
  if (typeof value === 'string') return value
  throw new TypeError(`expected a text column, got ${typeof value}`)
}

const toBuffer = (value: SQLOutputValue | undefined): Buffer => {
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.length)
  throw new TypeError(`expected a blob column, got ${typeof value}`)
}

const toBlob = (value: string | Uint8Array): Uint8Array =>
  typeof value === 'string' ? Buffer.from(value, 'utf8') : value

/** The log's operations. All are synchronous: node:sqlite is, and a call is one short query. */
export type EmbeddedStore = ReturnType<typeof openEmbeddedStore>

/** Opens (creating if needed) the log at `path`; ':memory:' gives a throwaway log. */
export const openEmbeddedStore = (path: string, defaultPartitions: number) => {
  const db = new DatabaseSync(path)
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;')
  db.exec(schema)
  const sql = {
    topic: db.prepare('SELECT partitions FROM topics WHERE name = ?'),
    addTopic: db.prepare('INSERT OR IGNORE INTO topics (name, partitions) VALUES (?, ?)'),
    end: db.prepare(
      'SELECT COALESCE(MAX("offset") + 1, 0) AS next FROM messages WHERE topic = ? AND "partition" = ?',
    ),
    insert: db.prepare(
      'INSERT INTO messages (topic, "partition", "offset", key, value, headers, ts) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    read: db.prepare(
      'SELECT "offset", key, value, headers, ts FROM messages WHERE topic = ? AND "partition" = ? AND "offset" >= ? ORDER BY "offset" LIMIT ?',
    ),
    committed: db.prepare(
      'SELECT next_offset FROM group_offsets WHERE group_id = ? AND topic = ? AND "partition" = ?',
    ),
    commit: db.prepare(
      'INSERT INTO group_offsets (group_id, topic, "partition", next_offset) VALUES (?, ?, ?, ?) ON CONFLICT (group_id, topic, "partition") DO UPDATE SET next_offset = excluded.next_offset',
    ),
    ping: db.prepare('PRAGMA journal_mode'),
  }

  const transaction = <T>(work: () => T): T => {
    db.exec('BEGIN IMMEDIATE')
    try {
      const result = work()
      db.exec('COMMIT')
      return result
    } catch (error) {
      if (db.isTransaction) db.exec('ROLLBACK')
      throw error
    }
  }

  /** Creates the topic unless it exists; returns its partition count. */
  const ensureTopic = (topic: string, partitions = defaultPartitions): number => {
    sql.addTopic.run(topic, partitions)
    const { partitions: count } = sql.topic.get(topic) ?? {}
    return int(count)
  }

  const endOffset = (topic: string, partition: number): number => {
    const { next } = sql.end.get(topic, partition) ?? {}
    return int(next)
  }

  return {
    ensureTopic,
    endOffset,

    /** The topic's partition count, or undefined when the topic does not exist. */
    partitionsOf: (topic: string): number | undefined => {
      const row = sql.topic.get(topic)
      return row === undefined ? undefined : int(row['partitions'])
    },

    /** Appends the batch in one transaction (all or nothing); returns when it is on disk. */
    append: (topic: string, messages: readonly AppendMessage[]): void =>
      transaction(() => {
        const partitions = ensureTopic(topic)
        const next = new Map<number, number>()
        const ts = Date.now()
        for (const { key, value, headers } of messages) {
          const partition = partitionOf(key, partitions)
          const offset = next.get(partition) ?? endOffset(topic, partition)
          next.set(partition, offset + 1)
          sql.insert.run(topic, partition, offset, key, toBlob(value), JSON.stringify(headers), ts)
        }
      }),

    /** Up to `limit` messages of the partition from offset `from` on, in offset order. */
    read: (topic: string, partition: number, from: number, limit: number): StoredMessage[] =>
      sql.read.all(topic, partition, from, limit).map(({ offset, key, value, headers, ts }) => ({
        topic,
        partition,
        offset: int(offset),
        key: key === null ? null : text(key),
        value: toBuffer(value),
        headers: JSON.parse(text(headers)) as BusHeaders,
        timestamp: int(ts),
      })),

    /** The group's next offset for the partition, or undefined when it never committed. */
    committed: (groupId: string, topic: string, partition: number): number | undefined => {
      const row = sql.committed.get(groupId, topic, partition)
      if (row === undefined) return undefined
      const { next_offset: next } = row
      return int(next)
    },

    commit: (groupId: string, topic: string, partition: number, nextOffset: number): void => {
      sql.commit.run(groupId, topic, partition, nextOffset)
    },

    /** The journal mode, read from the database: proves it answers. */
    ping: (): string => {
      const { journal_mode: mode } = sql.ping.get() ?? {}
      return text(mode)
    },

    close: (): void => db.close(),
  }
}
