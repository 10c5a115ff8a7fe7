/**
 * A write load whose every change can be found again downstream: each insert or update sets the
 * row's `n` to a number no other change uses, in small transactions of random size over a fixed
 * key space, from one connection (so the order they were issued in is the order they committed
 * in). It keeps, per key, the numbers in that order: what a change stream of the table must hold
 * for the key, each once. The table is `items (id int PRIMARY KEY, n bigint NOT NULL)`. It may be
 * held to a number of changes and let go on in steps, so that a test can be sure changes still come
 * after a point (a worker killed and started again has something new to stream). The table lives in
 * PostgreSQL (pgItems, seedItems here) or MariaDB (numbered-changes-mariadb.ts).
 */
import pg from 'pg'

/** One connection to the items table. */
export interface ItemsConnection {
  /** Upserts each [key, n] in one transaction, sent as one query. */
  commit(changes: ReadonlyArray<readonly [number, number]>): Promise<void>
  close(): Promise<void>
}

export interface NumberedChanges {
  /** Per key, the change numbers in commit order (the seeded row's first). */
  readonly byKey: ReadonlyMap<number, readonly number[]>
  /** How many changes the writer has committed so far. */
  readonly committed: number
  /** Resolves once every change is committed. */
  readonly done: Promise<void>
  /** Lets the writer go on up to `changes` changes in all. */
  allow(changes: number): void
}

export interface NumberedChangesOptions {
  readonly connect: () => Promise<ItemsConnection>
  /** Keys 1..keys; those not seeded are inserted by their first change. */
  readonly keys: number
  readonly changes: number
  /** Most changes in one transaction (at least one). */
  readonly maxPerTransaction: number
  /** Numbers start after the seeded rows' (seed rows are numbered by seedItems). */
  readonly firstNumber: number
  readonly random: () => number
  /** Changes written before the writer waits for allow(); default all. */
  readonly allowed?: number
}

/** Creates the table and inserts keys 1..count with n equal to the key: the rows a snapshot reads. */
export async function seedItems(url: string, count: number): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query('CREATE TABLE items (id int PRIMARY KEY, n bigint NOT NULL)')
    await client.query('INSERT INTO items SELECT g, g FROM generate_series(1, $1::int) g', [count])
  } finally {
    await client.end()
  }
}

/** The PostgreSQL items table at `url`: each transaction one simple query (BEGIN; upserts; COMMIT). */
export function pgItems(url: string): () => Promise<ItemsConnection> {
  return async () => {
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    return {
      commit: async (changes) => {
        await client.query(
          [
            'BEGIN',
            ...changes.map(([key, n]) => `INSERT INTO items VALUES (${key}, ${n}) ON CONFLICT (id) DO UPDATE SET n = excluded.n`),
            'COMMIT',
          ].join(';'),
        )
      },
      close: () => client.end(),
    }
  }
}

/**
 * Starts writing; `seeded` keys already hold their seed number. Each transaction goes as one
 * query, so the writer outpaces the stream rather than the network.
 */
export function writeNumberedChanges(options: NumberedChangesOptions, seeded: number): NumberedChanges {
  const byKey = new Map<number, number[]>()
  for (let key = 1; key <= seeded; key++) byKey.set(key, [key])
  const state = { committed: 0, allowed: options.allowed ?? options.changes, wake: () => {} }
  const done = (async () => {
    const connection = await options.connect()
    try {
      let next = options.firstNumber
      while (state.committed < options.changes) {
        while (state.committed >= state.allowed) await new Promise<void>((resolve) => (state.wake = resolve))
        const size = Math.min(state.allowed - state.committed, 1 + Math.floor(options.random() * options.maxPerTransaction))
        const made: Array<[number, number]> = []
        for (let i = 0; i < size; i++) made.push([1 + Math.floor(options.random() * options.keys), next++])
        await connection.commit(made)
        for (const [key, n] of made) {
          const list = byKey.get(key) ?? []
          list.push(n)
          byKey.set(key, list)
        }
        state.committed += size
      }
    } finally {
      await connection.close()
    }
  })()
  return {
    byKey,
    get committed() {
      return state.committed
    },
    done,
    allow(changes: number) {
      state.allowed = Math.min(options.changes, Math.max(state.allowed, changes))
      state.wake()
    },
  }
}

/** A small seeded generator (mulberry32), so a failing run's kill points and writes can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
