import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postgresSink } from '../../../../connectors/postgres/sink/sink.ts'
import { Debezium, DebeziumNames, Logical, Schemas, withOptions, type Schema } from '../../../../core/runtime/plugin.ts'
import { decimalToBytes } from '../../../../core/runtime/schema/logical.ts'
import { startPgServer, type PgServer } from '../../../support/pg-server.ts'
import { sinkContext } from '../../../support/task-context.ts'
import { FIELDS_OF_EVERY_SCHEMA, named, optional, point, sourceType, typedTable } from '../../../support/typed-change-events.ts'

let server: PgServer

beforeAll(async () => {
  server = await startPgServer()
}, 60_000)
afterAll(async () => {
  await server?.stop()
})

function task(config: Record<string, string>) {
  return postgresSink.createTask(
    sinkContext(postgresSink.config.parse({ url: server.url, 'auto.create': 'true', 'auto.evolve': 'true', ...config }), {
      connector: 'types-test',
    }),
  )
}

const variableDecimal = (value: string, scale: number) => ({ scale, value: decimalToBytes(value, scale) })
const days = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000
const micros = (iso: string, extra = 0) => Date.parse(iso) * 1000 + extra

/**
 * A PostgreSQL column, the schema Debezium's PostgreSQL source gives it with
 * column.propagate.source.type, and two values: as the event carries them and as SQL literals.
 */
interface Column {
  readonly name: string
  readonly ddl: string
  readonly schema: Schema
  readonly values: readonly [unknown, unknown]
  readonly literals: readonly [string, string]
}

const COLUMNS: Column[] = [
  {
    name: 'sm',
    ddl: 'smallint',
    schema: Schemas.int16({ ...optional, parameters: sourceType('INT2', 5, 0) }),
    values: [-32768, 7],
    literals: ['-32768', '7'],
  },
  {
    name: 'bg',
    ddl: 'bigint',
    schema: Schemas.int64({ ...optional, parameters: sourceType('INT8', 19, 0) }),
    values: [9223372036854775807n, -5],
    literals: ['9223372036854775807', '-5'],
  },
  {
    name: 'nm',
    ddl: 'numeric(12,4)',
    schema: Logical.decimal(4, 12, { ...optional, parameters: sourceType('NUMERIC', 12, 4) }),
    values: ['-12345678.1234', '0.5000'],
    literals: ['-12345678.1234', '0.5'],
  },
  {
    name: 'nf',
    ddl: 'numeric',
    schema: withOptions(Debezium.variableScaleDecimal, { ...optional, parameters: sourceType('NUMERIC', 131089, 0) }),
    values: [variableDecimal('1234567890123.45678901234567890123', 20), variableDecimal('-0.000001', 6)],
    literals: ['1234567890123.45678901234567890123', '-0.000001'],
  },
  {
    name: 'rl',
    ddl: 'real',
    schema: Schemas.float32({ ...optional, parameters: sourceType('FLOAT4', 8, 8) }),
    values: [Math.fround(0.1), -0.25],
    literals: ['0.1', '-0.25'],
  },
  {
    name: 'dp',
    ddl: 'double precision',
    schema: Schemas.float64({ ...optional, parameters: sourceType('FLOAT8', 17, 17) }),
    values: [0.1, 1e300],
    literals: ['0.1', '1e300'],
  },
  {
    name: 'bo',
    ddl: 'boolean',
    schema: Schemas.boolean({ ...optional, parameters: sourceType('BOOL', 1, 0) }),
    values: [true, false],
    literals: ['true', 'false'],
  },
  {
    name: 'ch',
    ddl: 'char(5)',
    schema: Schemas.string({ ...optional, parameters: sourceType('BPCHAR', 5, 0) }),
    values: ['ab   ', 'abcde'],
    literals: [`'ab'`, `'abcde'`],
  },
  {
    name: 'vc',
    ddl: 'varchar(20)',
    schema: Schemas.string({ ...optional, parameters: sourceType('VARCHAR', 20, 0) }),
    values: [`héllo "q" \\ '`, ''],
    literals: [`'héllo "q" \\ '''`, `''`],
  },
  {
    name: 'tx',
    ddl: 'text',
    schema: Schemas.string({ ...optional, parameters: sourceType('TEXT', 2147483647, 0) }),
    values: ['line\nbreak', 'NULL'],
    literals: [`E'line\\nbreak'`, `'NULL'`],
  },
  {
    name: 'by',
    ddl: 'bytea',
    schema: Schemas.bytes({ ...optional, parameters: sourceType('BYTEA', 2147483647, 0) }),
    values: [Buffer.from([0, 1, 2, 255]), Buffer.alloc(0)],
    literals: [`'\\x000102ff'`, `''`],
  },
  {
    name: 'uu',
    ddl: 'uuid',
    schema: named(Schemas.string, DebeziumNames.uuid, sourceType('UUID')),
    values: ['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '00000000-0000-0000-0000-000000000000'],
    literals: [`'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'`, `'00000000-0000-0000-0000-000000000000'`],
  },
  {
    name: 'js',
    ddl: 'json',
    schema: named(Schemas.string, DebeziumNames.json, sourceType('JSON')),
    values: ['{"b": 1,  "a": [1]}', '"just a string"'],
    literals: [`'{"b": 1,  "a": [1]}'`, `'"just a string"'`],
  },
  {
    name: 'jb',
    ddl: 'jsonb',
    schema: named(Schemas.string, DebeziumNames.json, sourceType('JSONB')),
    values: ['{"b": 1, "a": [1, 2]}', 'null'],
    literals: [`'{"b": 1, "a": [1, 2]}'`, `'null'`],
  },
  {
    name: 'xm',
    ddl: 'xml',
    schema: named(Schemas.string, DebeziumNames.xml, sourceType('XML')),
    values: ['<a>1</a>', '<b/>'],
    literals: [`'<a>1</a>'`, `'<b/>'`],
  },
  {
    name: 'dt',
    ddl: 'date',
    schema: named(Schemas.int32, DebeziumNames.date, sourceType('DATE', 13, 0)),
    values: [days('2024-02-29'), -719528],
    literals: [`'2024-02-29'`, `'0001-01-01 BC'`],
  },
  {
    name: 'tm',
    ddl: 'time',
    schema: named(Schemas.int64, DebeziumNames.microTime, sourceType('TIME', 15, 6)),
    values: [86_399_999_999, 0],
    literals: [`'23:59:59.999999'`, `'00:00:00'`],
  },
  {
    name: 't3',
    ddl: 'time(3)',
    schema: named(Schemas.int32, DebeziumNames.time, sourceType('TIME', 12, 3)),
    values: [45_296_789, 86_400_000],
    literals: [`'12:34:56.789'`, `'24:00:00'`],
  },
  {
    name: 'tz',
    ddl: 'timetz',
    schema: named(Schemas.string, DebeziumNames.zonedTime, sourceType('TIMETZ', 21, 6)),
    values: ['03:04:05.123456Z', '04:59:59Z'],
    literals: [`'03:04:05.123456+00'`, `'04:59:59+00'`],
  },
  {
    name: 'ts',
    ddl: 'timestamp',
    schema: named(Schemas.int64, DebeziumNames.microTimestamp, sourceType('TIMESTAMP', 29, 6)),
    values: [micros('2024-02-29T10:11:12.123Z', 456), -1],
    literals: [`'2024-02-29 10:11:12.123456'`, `'1969-12-31 23:59:59.999999'`],
  },
  {
    name: 't3s',
    ddl: 'timestamp(3)',
    schema: named(Schemas.int64, DebeziumNames.timestamp, sourceType('TIMESTAMP', 26, 3)),
    values: [Date.parse('2024-02-29T10:11:12.123Z'), Date.parse('0001-01-01T00:00:00Z')],
    literals: [`'2024-02-29 10:11:12.123'`, `'0001-01-01 00:00:00'`],
  },
  {
    name: 'tt',
    ddl: 'timestamptz',
    schema: named(Schemas.string, DebeziumNames.zonedTimestamp, sourceType('TIMESTAMPTZ', 35, 6)),
    values: ['2024-02-29T10:11:12.123456Z', '2024-03-01T05:30:00.5+05:30'],
    literals: [`'2024-02-29 10:11:12.123456Z'`, `'2024-03-01T05:30:00.5+05:30'`],
  },
  {
    name: 'iv',
    ddl: 'interval',
    schema: named(Schemas.float64, DebeziumNames.microDuration, sourceType('INTERVAL', 49, 6)),
    values: [90_061_000_001, -1],
    literals: [`'25:01:01.000001'`, `'-00:00:00.000001'`],
  },
  {
    name: 'ii',
    ddl: 'interval',
    schema: named(Schemas.string, DebeziumNames.interval, sourceType('INTERVAL', 49, 6)),
    values: ['P1Y2M3DT4H5M6.78S', 'P0Y-1M0DT-2H0M0S'],
    literals: [`'1 year 2 mons 3 days 04:05:06.78'`, `'-1 mons -02:00:00'`],
  },
  {
    name: 'ia',
    ddl: 'int4[]',
    schema: Schemas.array(Schemas.int32(optional), { ...optional, parameters: sourceType('_INT4', 10, 0) }),
    values: [[1, null, 3], []],
    literals: [`'{1,NULL,3}'`, `'{}'`],
  },
  {
    name: 'ta',
    ddl: 'text[]',
    schema: Schemas.array(Schemas.string(optional), { ...optional, parameters: sourceType('_TEXT') }),
    values: [['a', 'b "q" \\', null, 'NULL'], ['']],
    literals: [`ARRAY['a', 'b "q" \\', NULL, 'NULL']`, `'{""}'`],
  },
  {
    name: 'da',
    ddl: 'date[]',
    schema: Schemas.array(named(Schemas.int32, DebeziumNames.date), { ...optional, parameters: sourceType('_DATE') }),
    values: [[days('2024-01-31'), days('1900-03-01')], []],
    literals: [`'{2024-01-31,1900-03-01}'`, `'{}'`],
  },
  {
    name: 'tza',
    ddl: 'timestamptz[]',
    schema: Schemas.array(named(Schemas.string, DebeziumNames.zonedTimestamp), { ...optional, parameters: sourceType('_TIMESTAMPTZ') }),
    values: [['2024-01-01T00:00:00.000001Z'], []],
    literals: [`'{"2024-01-01 00:00:00.000001Z"}'`, `'{}'`],
  },
  {
    name: 'ie',
    ddl: 'inet',
    schema: Schemas.string({ ...optional, parameters: sourceType('INET') }),
    values: ['192.168.0.1/24', '::1'],
    literals: [`'192.168.0.1/24'`, `'::1'`],
  },
  {
    name: 'ci',
    ddl: 'cidr',
    schema: Schemas.string({ ...optional, parameters: sourceType('CIDR') }),
    values: ['10.0.0.0/8', '2001:db8::/32'],
    literals: [`'10.0.0.0/8'`, `'2001:db8::/32'`],
  },
  {
    name: 'ma',
    ddl: 'macaddr',
    schema: Schemas.string({ ...optional, parameters: sourceType('MACADDR') }),
    values: ['08:00:2b:01:02:03', 'ff:ff:ff:ff:ff:ff'],
    literals: [`'08:00:2b:01:02:03'`, `'ff:ff:ff:ff:ff:ff'`],
  },
  {
    name: 'mo',
    ddl: 'money',
    schema: Logical.decimal(2, undefined, { ...optional, parameters: sourceType('MONEY', 2147483647, 2) }),
    values: ['12.34', '-1000000.00'],
    literals: [`'12.34'`, `'-1000000.00'`],
  },
  {
    name: 'pt',
    ddl: 'point',
    schema: withOptions(point, { parameters: sourceType('POINT') }),
    values: [
      { x: 1.5, y: -2, wkb: null, srid: null },
      { x: 0.1, y: 1e-300, wkb: null, srid: null },
    ],
    literals: [`'(1.5,-2)'`, `'(0.1,1e-300)'`],
  },
  {
    name: 'bi',
    ddl: 'bit(5)',
    schema: Schemas.bytes({ ...optional, name: DebeziumNames.bits, version: 1, parameters: { length: '5', ...sourceType('BIT', 5, 0) } }),
    values: [Buffer.from([0b10110]), Buffer.from([1])],
    literals: [`B'10110'`, `B'00001'`],
  },
  {
    name: 'vb',
    ddl: 'bit varying(20)',
    schema: Schemas.bytes({
      ...optional,
      name: DebeziumNames.bits,
      version: 1,
      parameters: { length: '20', ...sourceType('VARBIT', 20, 0) },
    }),
    values: [Buffer.from([0x01, 0x80, 0x02]), Buffer.from([5])],
    literals: [`B'101000000000000001'`, `B'101'`],
  },
  {
    name: 'b1',
    ddl: 'bit(1)',
    schema: Schemas.boolean({ ...optional, parameters: sourceType('BIT', 1, 0) }),
    values: [true, false],
    literals: [`B'1'`, `B'0'`],
  },
]

const ID: Column = {
  name: 'id',
  ddl: 'integer',
  schema: Schemas.int32({ parameters: sourceType('INT4', 10, 0) }),
  values: [1, 2],
  literals: ['1', '2'],
}
const ALL = [ID, ...COLUMNS]

const formatTypes = async (table: string) =>
  Object.fromEntries(
    (
      await server.query<{ attname: string; type: string; notnull: boolean }>(
        `SELECT attname, format_type(atttypid, atttypmod) AS type, attnotnull AS notnull FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
        [table],
      )
    ).map((row) => [row.attname, `${row.type}${row.notnull ? ' not null' : ''}`]),
  )

const asText = (table: string, columns: readonly string[]) =>
  server.query(`SELECT ${columns.map((c) => `${c}::text AS ${c}`).join(', ')} FROM ${table} ORDER BY id`)

describe('postgres-sink with typed records', () => {
  it('recreates each PostgreSQL column type from a change event with propagated source types, and writes the values exactly', async () => {
    await server.query(`CREATE TABLE src (${ALL.map((c) => `${c.name} ${c.ddl}`).join(', ')}, PRIMARY KEY (id))`)
    for (const row of [0, 1] as const) await server.query(`INSERT INTO src VALUES (${ALL.map((c) => c.literals[row]).join(', ')})`)
    await server.query(`INSERT INTO src (id) VALUES (3)`)
    const events = typedTable(
      ALL.map((c) => [c.name, c.schema] as const),
      'id',
      { db: 'postgres', schema: 'public', table: 'copy' },
      'pg.public.src',
    )
    const rows = [0, 1].map((row) => Object.fromEntries(ALL.map((c) => [c.name, c.values[row as 0 | 1]])))
    const sink = task({ 'offsets.table': 'copy_offsets' })
    await sink.start()
    await sink.put([
      ...rows.map((row, offset) => events.create(row, offset)),
      events.create({ ...Object.fromEntries(ALL.map((c) => [c.name, null])), id: 3 }, 2),
    ])
    await sink.flush()
    await sink.stop()
    expect(await formatTypes('copy')).toEqual(await formatTypes('src'))
    const names = ALL.map((c) => c.name)
    expect(await asText('copy', names)).toEqual(await asText('src', names))

    // Without array columns the sink binds one array per column (unnest): the same types and values.
    const scalars = ALL.filter((c) => !c.ddl.endsWith('[]'))
    const flat = typedTable(
      scalars.map((c) => [c.name, c.schema] as const),
      'id',
      {},
      'pg.public.src',
    )
    const again = task({ 'table.name.format': 'copy_scalar', 'offsets.table': 'copy_scalar_offsets' })
    await again.start()
    await again.put([
      ...rows.map((row, offset) => flat.flat(Object.fromEntries(scalars.map((c) => [c.name, row[c.name]])), offset)),
      flat.flat({ ...Object.fromEntries(scalars.map((c) => [c.name, null])), id: 3 }, 2),
    ])
    await again.flush()
    await again.stop()
    const scalarNames = scalars.map((c) => c.name)
    expect(await formatTypes('copy_scalar')).toEqual(
      Object.fromEntries(Object.entries(await formatTypes('src')).filter(([name]) => scalarNames.includes(name))),
    )
    expect(await asText('copy_scalar', scalarNames)).toEqual(await asText('src', scalarNames))
  })

  it('deletes by a typed key and evolves the table with typed columns', async () => {
    const fields = [
      ['id', Schemas.int64({ parameters: sourceType('INT8') })],
      ['at', named(Schemas.int64, DebeziumNames.microTimestamp)],
    ] as const
    const events = typedTable(fields, 'id', { db: 'postgres', schema: 'public', table: 'evolving' }, 'pg.public.evolving')
    const sink = task({ 'offsets.table': 'evolving_offsets' })
    await sink.start()
    await sink.put([events.create({ id: 9007199254740993n, at: 1 }, 0), events.create({ id: 2, at: 2 }, 1)])
    await sink.flush()
    const wider = typedTable(
      [...fields, ['price', Logical.decimal(3, 8, optional)]],
      'id',
      { db: 'postgres', schema: 'public', table: 'evolving' },
      'pg.public.evolving',
    )
    await sink.put([wider.remove({ id: 2, at: 2, price: null }, 2), wider.create({ id: 3, at: 3, price: '-12345.678' }, 3)])
    await sink.flush()
    await sink.stop()
    expect(await formatTypes('evolving')).toEqual({ id: 'bigint not null', at: 'timestamp without time zone', price: 'numeric(8,3)' })
    expect(await asText('evolving', ['id', 'at', 'price'])).toEqual([
      { id: '3', at: '1970-01-01 00:00:00.000003', price: '-12345.678' },
      { id: '9007199254740993', at: '1970-01-01 00:00:00.000001', price: null },
    ])
  })

  it('gives fields without a propagated source type the type that holds their values exactly', async () => {
    const fields = FIELDS_OF_EVERY_SCHEMA
    const events = typedTable(fields, 'id', { db: 'postgres', schema: 'public', table: 'derived' }, 'derived')
    const sink = task({ 'table.name.format': 'derived', 'offsets.table': 'derived_offsets' })
    await sink.start()
    await sink.put([
      events.flat(
        {
          id: 'k1',
          i8: -128,
          i16: 32767,
          i32: -2147483648,
          i64: -9223372036854775808n,
          f32: Math.fround(3.4e38),
          f64: -0,
          flag: false,
          s: 'ünï',
          raw: Buffer.from('\\x00'),
          dec: '1234567.891',
          dec_free: '-0.00001',
          vsd: variableDecimal('3.14159265358979323846264338327950288', 35),
          day: new Date('1999-12-31T00:00:00Z'),
          clock: new Date('1970-01-01T23:59:59.999Z'),
          stamp: new Date('2038-01-19T03:14:08.001Z'),
          micro: micros('1900-01-01T00:00:00Z', 1),
          nano: 1_000_000_000_123_456_789n,
          micro_time: 3_723_000_004,
          zoned: '2024-06-01T12:00:00+02:00',
          zoned_time: '12:00:00.5+02:00',
          duration: 2_629_800_000_000,
          year: 2024,
          doc: '{"k": [1, "two"]}',
          uid: '123e4567-e89b-12d3-a456-426614174000',
          mood: 'sad',
          bits: Buffer.from([0x01, 0x08]),
          ints: [9007199254740993n, -1],
          words: ['x', null],
          nested: { a: 1, b: Buffer.from([255]) },
          tags: { one: 1 },
          where: { x: -1.25, y: 3, wkb: null, srid: null },
        },
        0,
      ),
    ])
    await sink.flush()
    await sink.stop()
    expect(await formatTypes('derived')).toEqual({
      id: 'text not null',
      i8: 'smallint',
      i16: 'smallint',
      i32: 'integer',
      i64: 'bigint',
      f32: 'real',
      f64: 'double precision',
      flag: 'boolean',
      s: 'text',
      raw: 'bytea',
      dec: 'numeric(10,3)',
      dec_free: 'numeric',
      vsd: 'numeric',
      day: 'date',
      clock: 'time without time zone',
      stamp: 'timestamp without time zone',
      micro: 'timestamp without time zone',
      nano: 'timestamp without time zone',
      micro_time: 'time without time zone',
      zoned: 'timestamp with time zone',
      zoned_time: 'time with time zone',
      duration: 'interval',
      year: 'integer',
      doc: 'jsonb',
      uid: 'uuid',
      mood: 'text',
      bits: 'bit(12)',
      ints: 'bigint[]',
      words: 'text[]',
      nested: 'jsonb',
      tags: 'jsonb',
      where: 'point',
    })
    const names = fields.map(([name]) => name)
    const [stored] = await server.query(
      `SELECT ${names
        .filter((n) => n !== 'zoned' && n !== 'zoned_time')
        .map((c) => `"${c}"::text AS "${c}"`)
        .join(', ')}, (zoned AT TIME ZONE 'UTC')::text AS zoned, (zoned_time AT TIME ZONE 'UTC')::text AS zoned_time FROM derived`,
    )
    expect(stored).toEqual({
      id: 'k1',
      i8: '-128',
      i16: '32767',
      i32: '-2147483648',
      i64: '-9223372036854775808',
      f32: '3.4e+38',
      f64: '-0',
      flag: 'false',
      s: 'ünï',
      raw: '\\x5c783030',
      dec: '1234567.891',
      dec_free: '-0.00001',
      vsd: '3.14159265358979323846264338327950288',
      day: '1999-12-31',
      clock: '23:59:59.999',
      stamp: '2038-01-19 03:14:08.001',
      micro: '1900-01-01 00:00:00.000001',
      nano: '2001-09-09 01:46:40.123456',
      micro_time: '01:02:03.000004',
      zoned: '2024-06-01 10:00:00',
      zoned_time: '10:00:00.5+00',
      duration: '730:30:00',
      year: '2024',
      doc: '{"k": [1, "two"]}',
      uid: '123e4567-e89b-12d3-a456-426614174000',
      mood: 'sad',
      bits: '100000000001',
      ints: '{9007199254740993,-1}',
      words: '{x,NULL}',
      nested: '{"a": 1, "b": "/w=="}',
      tags: '{"one": 1}',
      where: '(-1.25,3)',
    })
  })
})
