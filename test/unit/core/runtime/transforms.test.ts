import { describe, expect, it } from 'vitest'
import { isTributaryError } from '../../../../core/errors.ts'
import type { ConnectRecord } from '../../../../core/runtime/plugin.ts'
import { buildTransformChain, validateTransformConfig } from '../../../../core/runtime/transforms/chain.ts'

const record = (value: unknown, extra: Partial<ConnectRecord> = {}): ConnectRecord => ({ topic: 'orders', key: null, value, ...extra })
const chain = (config: Record<string, string>) => buildTransformChain(config)

describe('transforms', () => {
  it('insert-field adds static values and record metadata; the $Key alias acts on the key', () => {
    const insert = chain({
      transforms: 'i',
      'transforms.i.type': 'org.apache.kafka.connect.transforms.InsertField$Value',
      'transforms.i.static.field': 'src',
      'transforms.i.static.value': 'web',
      'transforms.i.topic.field': 't',
      'transforms.i.timestamp.field': 'ts',
    })
    expect(insert.apply(record({ a: 1 }, { timestamp: 5 }))?.value).toEqual({ a: 1, src: 'web', t: 'orders', ts: 5 })
    const onKey = chain({
      transforms: 'k',
      'transforms.k.type': 'InsertField$Key',
      'transforms.k.static.field': 'region',
      'transforms.k.static.value': 'eu',
    })
    expect(onKey.apply(record({ a: 1 }, { key: { id: 7 } }))).toMatchObject({ key: { id: 7, region: 'eu' }, value: { a: 1 } })
    expect(insert.apply(record(null))?.value).toBeNull()
  })

  it('replace-field keeps, drops and renames; drop-fields drops', () => {
    const replace = chain({
      transforms: 'r',
      'transforms.r.type': 'ReplaceField$Value',
      'transforms.r.exclude': 'secret',
      'transforms.r.renames': 'id:order_id,amt:amount',
    })
    expect(replace.apply(record({ id: 1, amt: 2, secret: 'x', keep: true }))?.value).toEqual({ order_id: 1, amount: 2, keep: true })
    const include = chain({ transforms: 'r', 'transforms.r.type': 'replace-field', 'transforms.r.include': 'id' })
    expect(include.apply(record({ id: 1, other: 2 }))?.value).toEqual({ id: 1 })
    const drop = chain({ transforms: 'd', 'transforms.d.type': 'drop-fields', 'transforms.d.fields': 'a, b' })
    expect(drop.apply(record({ a: 1, b: 2, c: 3 }))?.value).toEqual({ c: 3 })
  })

  it('mask-field blanks by type or with a replacement', () => {
    const mask = chain({ transforms: 'm', 'transforms.m.type': 'mask-field', 'transforms.m.fields': 'n,s,b,o,missing' })
    expect(mask.apply(record({ n: 42, s: 'x', b: true, o: { deep: 1 }, keep: 'y' }))?.value).toEqual({
      n: 0,
      s: '',
      b: false,
      o: {},
      keep: 'y',
    })
    const replaced = chain({
      transforms: 'm',
      'transforms.m.type': 'MaskField$Value',
      'transforms.m.fields': 'email',
      'transforms.m.replacement': '***',
    })
    expect(replaced.apply(record({ email: 'a@b.c' }))?.value).toEqual({ email: '***' })
  })

  it('filter keeps what an expression accepts, and drops by predicate (negated too)', () => {
    const paid = chain({
      transforms: 'f',
      'transforms.f.type': 'filter',
      'transforms.f.expr': 'value.after.status == "paid" and value.after.total > 10',
    })
    expect(paid.apply(record({ after: { status: 'paid', total: 11 } }))).not.toBeNull()
    expect(paid.apply(record({ after: { status: 'paid', total: 5 } }))).toBeNull()
    expect(paid.apply(record({ before: {} }))).toBeNull()
    const dropTombstones = chain({
      transforms: 'f',
      'transforms.f.type': 'Filter',
      'transforms.f.predicate': 'tomb',
      predicates: 'tomb',
      'predicates.tomb.type': 'RecordIsTombstone',
    })
    expect(dropTombstones.apply(record(null))).toBeNull()
    expect(dropTombstones.apply(record({ a: 1 }))).not.toBeNull()
    const onlyOrders = chain({
      transforms: 'f',
      'transforms.f.type': 'filter',
      'transforms.f.predicate': 'orders',
      'transforms.f.negate': 'true',
      predicates: 'orders',
      'predicates.orders.type': 'org.apache.kafka.connect.transforms.predicates.TopicNameMatches',
      'predicates.orders.pattern': 'order.*',
    })
    expect(onlyOrders.apply(record({}, { topic: 'orders' }))).not.toBeNull()
    expect(onlyOrders.apply(record({}, { topic: 'users' }))).toBeNull()
  })

  it('route-regex renames whole-matching topics with groups', () => {
    const route = chain({
      transforms: 'r',
      'transforms.r.type': 'RegexRouter',
      'transforms.r.regex': 'db\\.public\\.(.*)',
      'transforms.r.replacement': 'cdc-$1',
    })
    expect(route.apply(record({}, { topic: 'db.public.users' }))?.topic).toBe('cdc-users')
    expect(route.apply(record({}, { topic: 'xdb.public.users' }))?.topic).toBe('xdb.public.users')
  })

  it('extract-new-state unwraps change events and handles deletes per mode', () => {
    const envelope = (op: string, before: unknown, after: unknown) => ({ op, before, after, source: { table: 'users', lsn: 42 } })
    const unwrap = chain({
      transforms: 'u',
      'transforms.u.type': 'io.debezium.transforms.ExtractNewRecordState',
      'transforms.u.add.fields': 'op,table',
    })
    expect(unwrap.apply(record(envelope('u', { id: 1, n: 'a' }, { id: 1, n: 'b' })))?.value).toEqual({
      id: 1,
      n: 'b',
      __op: 'u',
      __table: 'users',
    })
    expect(unwrap.apply(record(envelope('d', { id: 1 }, null)))?.value).toBeNull()
    expect(unwrap.apply(record(null))).toBeNull()
    expect(unwrap.apply(record({ plain: true }))?.value).toEqual({ plain: true })
    const rewrite = chain({ transforms: 'u', 'transforms.u.type': 'extract-new-state', 'transforms.u.delete.handling.mode': 'rewrite' })
    expect(rewrite.apply(record(envelope('d', { id: 1 }, null)))?.value).toEqual({ id: 1, __deleted: 'true' })
    const drop = chain({ transforms: 'u', 'transforms.u.type': 'extract-new-state', 'transforms.u.delete.handling.mode': 'drop' })
    expect(drop.apply(record(envelope('d', { id: 1 }, null)))).toBeNull()
  })

  it('timestamp-convert moves between strings, unix numbers and epoch millis', () => {
    const toText = chain({
      transforms: 't',
      'transforms.t.type': 'TimestampConverter$Value',
      'transforms.t.field': 'at',
      'transforms.t.target.type': 'string',
      'transforms.t.format': 'yyyy-MM-dd HH:mm:ss',
    })
    expect(toText.apply(record({ at: 1_700_000_000_000 }))?.value).toEqual({ at: '2023-11-14 22:13:20' })
    const toUnix = chain({
      transforms: 't',
      'transforms.t.type': 'timestamp-convert',
      'transforms.t.field': 'at',
      'transforms.t.target.type': 'unix',
      'transforms.t.format': 'yyyy-MM-dd HH:mm:ss',
      'transforms.t.unix.precision': 'seconds',
    })
    expect(toUnix.apply(record({ at: '2023-11-14 22:13:20' }))?.value).toEqual({ at: 1_700_000_000 })
    const iso = chain({
      transforms: 't',
      'transforms.t.type': 'timestamp-convert',
      'transforms.t.field': 'at',
      'transforms.t.target.type': 'Timestamp',
    })
    expect(iso.apply(record({ at: '2023-11-14T22:13:20.000Z' }))?.value).toEqual({ at: 1_700_000_000_000 })
  })

  it('runs in order, reports every config problem at once, and names the transform that fails', () => {
    const ordered = chain({
      transforms: 'a,b',
      'transforms.a.type': 'insert-field',
      'transforms.a.field': 'x',
      'transforms.a.value': '1',
      'transforms.b.type': 'replace-field',
      'transforms.b.renames': 'x:y',
    })
    expect(ordered.names).toEqual(['a', 'b'])
    expect(ordered.apply(record({}))?.value).toEqual({ y: '1' })
    const problems = validateTransformConfig({
      transforms: 'a,b,c',
      'transforms.a.type': 'nope',
      'transforms.b.type': 'RegexRouter',
      'transforms.c.type': 'filter',
      'transforms.c.predicate': 'ghost',
    })
    expect(problems.map((p) => p.key)).toEqual([
      'transforms.a.type',
      'transforms.b.regex',
      'transforms.b.replacement',
      'transforms.c.predicate',
    ])
    expect(() => chain({ transforms: 'a', 'transforms.a.type': 'nope' })).toThrow(/unknown transform "nope"/)
    try {
      ordered.apply(record('not an object'))
      expect.unreachable()
    } catch (error) {
      expect(isTributaryError(error, 'TRB_TRANSFORM_FAILED')).toBe(true)
      expect((error as { details: { transform: string } }).details.transform).toBe('a')
    }
  })
})
