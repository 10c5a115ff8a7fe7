import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mysqlSink } from '../../../../connectors/mysql/sink/sink.ts'
import { Debezium, DebeziumNames, Logical, Schemas, withOptions, type Schema } from '../../../../core/runtime/plugin.ts'
import { decimalToBytes } from '../../../../core/runtime/schema/logical.ts'
import { startMariaDbServer, type MariaDbServer } from '../../../support/mariadb-server.ts'
import { queryText } from '../../../support/mariadb-text.ts'
import { sinkContext } from '../../../support/task-context.ts'
import { FIELDS_OF_EVERY_SCHEMA, named, optional, point, sourceType, typedTable } from '../../../support/typed-change-events.ts'

let server: MariaDbServer

beforeAll(async () => {
  server = await startMariaDbServer()
  await server.query('CREATE DATABASE shop')
}, 60_000)
afterAll(async () => {
  await server?.stop()
})

function task(config: Record<string, string>) {
  return mysqlSink.createTask(
    sinkContext(mysqlSink.config.parse({ url: `${server.url}/shop`, 'auto.create': 'true', 'auto.evolve': 'true', ...config }), {
      connector: 'types-test',
    }),
  )
}

const days = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000
const bits = (length: number, parameters: Record<string, string>) =>
  Schemas.bytes({ ...optional, name: DebeziumNames.bits, version: 1, parameters: { length: String(length), ...parameters } })

/**
 * A column, the schema a Debezium source gives it with column.propagate.source.type, two values as
 * the event carries them and as SQL literals, and how to read it back as text.
 */
interface Column {
  readonly name: string
  readonly ddl: string
  readonly schema: Schema
  readonly values: readonly [unknown, unknown]
  readonly literals: readonly [string, string]
  readonly read?: string
}

const COLUMNS: Column[] = [
  {
    name: 'ti',
    ddl: 'TINYINT',
    schema: Schemas.int16({ ...optional, parameters: sourceType('TINYINT', 4) }),
    values: [-128, 127],
    literals: ['-128', '127'],
  },
  {
    name: 'tu',
    ddl: 'TINYINT UNSIGNED',
    schema: Schemas.int16({ ...optional, parameters: sourceType('TINYINT UNSIGNED', 3) }),
    values: [255, 0],
    literals: ['255', '0'],
  },
  {
    name: 'su',
    ddl: 'SMALLINT UNSIGNED',
    schema: Schemas.int32({ ...optional, parameters: sourceType('SMALLINT UNSIGNED', 5) }),
    values: [65535, 1],
    literals: ['65535', '1'],
  },
  {
    name: 'mi',
    ddl: 'MEDIUMINT',
    schema: Schemas.int32({ ...optional, parameters: sourceType('MEDIUMINT', 9) }),
    values: [-8388608, 8388607],
    literals: ['-8388608', '8388607'],
  },
  {
    name: 'iu',
    ddl: 'INT UNSIGNED',
    schema: Schemas.int64({ ...optional, parameters: sourceType('INT UNSIGNED', 10) }),
    values: [4294967295, 0],
    literals: ['4294967295', '0'],
  },
  {
    name: 'bg',
    ddl: 'BIGINT',
    schema: Schemas.int64({ ...optional, parameters: sourceType('BIGINT', 20) }),
    values: [-9223372036854775808n, 9007199254740993n],
    literals: ['-9223372036854775808', '9007199254740993'],
  },
  {
    name: 'bu',
    ddl: 'BIGINT UNSIGNED',
    schema: Logical.decimal(0, 20, { ...optional, parameters: sourceType('BIGINT UNSIGNED', 20) }),
    values: ['18446744073709551615', '0'],
    literals: ['18446744073709551615', '0'],
  },
  {
    name: 'dc',
    ddl: 'DECIMAL(30,10)',
    schema: Logical.decimal(10, 30, { ...optional, parameters: sourceType('DECIMAL', 30, 10) }),
    values: ['-12345678901234567890.1234567890', '0.0000000001'],
    literals: ['-12345678901234567890.1234567890', '0.0000000001'],
  },
  {
    name: 'fl',
    ddl: 'FLOAT',
    schema: Schemas.float32({ ...optional, parameters: sourceType('FLOAT') }),
    values: [Math.fround(0.1), -1.5],
    literals: ['0.1', '-1.5'],
  },
  {
    name: 'db',
    ddl: 'DOUBLE',
    schema: Schemas.float64({ ...optional, parameters: sourceType('DOUBLE') }),
    values: [0.1, -0],
    literals: ['0.1', '-0e0'],
  },
  {
    name: 'bo',
    ddl: 'BOOLEAN',
    schema: Schemas.int16({ ...optional, parameters: sourceType('TINYINT', 1) }),
    values: [1, 0],
    literals: ['1', '0'],
  },
  {
    name: 'b1',
    ddl: 'BIT(1)',
    schema: Schemas.boolean({ ...optional, parameters: sourceType('BIT', 1) }),
    values: [true, false],
    literals: [`b'1'`, `b'0'`],
    read: 'BIN(b1)',
  },
  {
    name: 'bt',
    ddl: 'BIT(10)',
    schema: bits(10, sourceType('BIT', 10)),
    values: [Buffer.from([0x01, 0x02]), Buffer.from([0])],
    literals: [`b'1000000001'`, `b'0'`],
    read: 'BIN(bt)',
  },
  {
    name: 'ch',
    ddl: 'CHAR(3)',
    schema: Schemas.string({ ...optional, parameters: sourceType('CHAR', 3) }),
    values: ['ab', ''],
    literals: [`'ab'`, `''`],
  },
  {
    name: 'vc',
    ddl: 'VARCHAR(60)',
    schema: Schemas.string({ ...optional, parameters: sourceType('VARCHAR', 60) }),
    values: [`héllo "q" \\ 'quote' \0 end`, 'x'],
    literals: [`'héllo "q" \\\\ \\'quote\\' \\0 end'`, `'x'`],
  },
  {
    name: 'tx',
    ddl: 'TEXT',
    schema: Schemas.string({ ...optional, parameters: sourceType('TEXT') }),
    values: ['line\nbreak\ttab', 'NULL'],
    literals: [`'line\\nbreak\\ttab'`, `'NULL'`],
  },
  {
    name: 'mt',
    ddl: 'MEDIUMTEXT',
    schema: Schemas.string({ ...optional, parameters: sourceType('MEDIUMTEXT') }),
    values: ['m', ''],
    literals: [`'m'`, `''`],
  },
  {
    name: 'bn',
    ddl: 'BINARY(4)',
    schema: Schemas.bytes({ ...optional, parameters: sourceType('BINARY', 4) }),
    values: [Buffer.from([0, 1, 2, 3]), Buffer.from([0xff, 0, 0, 0])],
    literals: [`X'00010203'`, `X'ff000000'`],
    read: 'HEX(bn)',
  },
  {
    name: 'vb',
    ddl: 'VARBINARY(10)',
    schema: Schemas.bytes({ ...optional, parameters: sourceType('VARBINARY', 10) }),
    values: [Buffer.from([0xff]), Buffer.alloc(0)],
    literals: [`X'ff'`, `''`],
    read: 'HEX(vb)',
  },
  {
    name: 'bl',
    ddl: 'BLOB',
    schema: Schemas.bytes({ ...optional, parameters: sourceType('BLOB') }),
    values: [Buffer.from('\\x00'), Buffer.from([0])],
    literals: [`X'5c783030'`, `X'00'`],
    read: 'HEX(bl)',
  },
  {
    name: 'dt',
    ddl: 'DATE',
    schema: named(Schemas.int32, DebeziumNames.date, sourceType('DATE')),
    values: [days('2024-02-29'), days('1000-01-01')],
    literals: [`'2024-02-29'`, `'1000-01-01'`],
  },
  {
    name: 'tm',
    ddl: 'TIME(6)',
    schema: named(Schemas.int64, DebeziumNames.microTime, sourceType('TIME', 6)),
    values: [-3_020_399_000_001, 86_399_999_999],
    literals: [`'-838:59:59.000001'`, `'23:59:59.999999'`],
  },
  {
    name: 'tm2',
    ddl: 'TIME(2)',
    schema: named(Schemas.int32, DebeziumNames.time, sourceType('TIME', 2)),
    values: [45_296_780, 0],
    literals: [`'12:34:56.78'`, `'00:00:00'`],
  },
  {
    name: 'dtt',
    ddl: 'DATETIME(6)',
    schema: named(Schemas.int64, DebeziumNames.microTimestamp, sourceType('DATETIME', 6)),
    values: [Date.parse('2024-02-29T10:11:12.123Z') * 1000 + 456, Date.parse('1000-01-01T00:00:00Z') * 1000],
    literals: [`'2024-02-29 10:11:12.123456'`, `'1000-01-01 00:00:00'`],
  },
  {
    name: 'd3',
    ddl: 'DATETIME(3)',
    schema: named(Schemas.int64, DebeziumNames.timestamp, sourceType('DATETIME', 3)),
    values: [Date.parse('9999-12-31T23:59:59.999Z'), -1],
    literals: [`'9999-12-31 23:59:59.999'`, `'1969-12-31 23:59:59.999'`],
  },
  {
    name: 'ts',
    ddl: 'TIMESTAMP(3) NULL',
    schema: named(Schemas.string, DebeziumNames.zonedTimestamp, sourceType('TIMESTAMP', 3)),
    values: ['2024-02-29T10:11:12.123Z', '2038-01-19T03:14:07.999Z'],
    literals: [`'2024-02-29 10:11:12.123'`, `'2038-01-19 03:14:07.999'`],
  },
  {
    name: 'y',
    ddl: 'YEAR',
    schema: named(Schemas.int32, DebeziumNames.year, sourceType('YEAR')),
    values: [2024, 1901],
    literals: ['2024', '1901'],
  },
  {
    name: 'j',
    ddl: 'JSON',
    schema: named(Schemas.string, DebeziumNames.json, sourceType('JSON')),
    values: ['{"a": [1, 2], "s": "x"}', '"just a string"'],
    literals: [`'{"a": [1, 2], "s": "x"}'`, `'"just a string"'`],
  },
  {
    name: 'e',
    ddl: `ENUM('a','b c','it''s')`,
    schema: Schemas.string({
      ...optional,
      name: DebeziumNames.enum,
      version: 1,
      parameters: { allowed: "a,b c,it's", ...sourceType('ENUM', 1) },
    }),
    values: ['b c', "it's"],
    literals: [`'b c'`, `'it''s'`],
  },
  {
    name: 'st',
    ddl: `SET('x','y','z')`,
    schema: Schemas.string({
      ...optional,
      name: DebeziumNames.enumSet,
      version: 1,
      parameters: { allowed: 'x,y,z', ...sourceType('SET', 5) },
    }),
    values: ['x,z', ''],
    literals: [`'x,z'`, `''`],
  },
  {
    name: 'pt',
    ddl: 'POINT',
    schema: withOptions(point, { parameters: sourceType('POINT') }),
    values: [
      { x: 1.5, y: -2, wkb: null, srid: null },
      { x: 0.1, y: 1e-300, wkb: null, srid: null },
    ],
    literals: [`POINT(1.5, -2)`, `POINT(0.1, 1e-300)`],
    read: 'ST_AsText(pt)',
  },
]

const ID: Column = {
  name: 'id',
  ddl: 'INT',
  schema: Schemas.int32({ parameters: sourceType('INT', 11) }),
  values: [1, 2],
  literals: ['1', '2'],
}
const ALL = [ID, ...COLUMNS]

const columnTypes = async (table: string) =>
  Object.fromEntries(
    (
      await queryText<{ name: string; type: string; nullable: string }>(
        server,
        `SELECT column_name AS name, column_type AS type, is_nullable AS nullable FROM information_schema.columns WHERE table_schema = 'shop' AND table_name = ? ORDER BY ordinal_position`,
        [table],
      )
    ).map((row) => [row.name, `${row.type}${row.nullable === 'NO' ? ' not null' : ''}`]),
  )

const asText = (table: string, columns: readonly Column[]) =>
  queryText(
    server,
    `SELECT ${columns.map((c) => `${c.read ?? `CAST(${c.name} AS CHAR)`} AS ${c.name}`).join(', ')} FROM shop.${table} ORDER BY id`,
  )

describe('mysql-sink with typed records', () => {
  it('recreates each MySQL column type from a change event with propagated source types, and writes the values exactly', async () => {
    await server.query(
      `CREATE TABLE shop.src (${ALL.map((c) => `${c.name} ${c.ddl}`).join(', ')}, PRIMARY KEY (id)) DEFAULT CHARSET = utf8mb4`,
    )
    for (const row of [0, 1] as const) await server.query(`INSERT INTO shop.src VALUES (${ALL.map((c) => c.literals[row]).join(', ')})`)
    await server.query('INSERT INTO shop.src (id) VALUES (3)')
    const events = typedTable(
      ALL.map((c) => [c.name, c.schema] as const),
      'id',
      { db: 'shop', table: 'copy' },
      'my.shop.src',
    )
    const sink = task({ 'offsets.table': 'copy_offsets' })
    await sink.start()
    await sink.put([
      ...[0, 1].map((row) => events.create(Object.fromEntries(ALL.map((c) => [c.name, c.values[row as 0 | 1]])), row)),
      events.create({ ...Object.fromEntries(ALL.map((c) => [c.name, null])), id: 3 }, 2),
    ])
    await sink.flush()
    await sink.stop()
    const types = await columnTypes('copy')
    expect(types).toEqual(await columnTypes('src'))
    expect(types).toMatchObject({
      id: 'int(11) not null',
      bu: 'bigint(20) unsigned',
      dc: 'decimal(30,10)',
      tm: 'time(6)',
      ts: 'timestamp(3)',
      e: "enum('a','b c','it''s')",
      pt: 'point',
    })
    const stored = await asText('copy', ALL)
    expect(stored).toEqual(await asText('src', ALL))
    expect(stored[0]).toMatchObject({
      bg: '-9223372036854775808',
      dc: '-12345678901234567890.1234567890',
      tm: '-838:59:59.000001',
      dtt: '2024-02-29 10:11:12.123456',
      bt: '1000000001',
    })
  })

  it('gives a PostgreSQL change event the closest MySQL types, and writes its values exactly', async () => {
    const fields: Array<readonly [string, Schema]> = [
      ['id', Schemas.int32({ parameters: sourceType('INT4', 10, 0) })],
      ['nm', Logical.decimal(4, 12, { ...optional, parameters: sourceType('NUMERIC', 12, 4) })],
      ['nf', withOptions(Debezium.variableScaleDecimal, { ...optional, parameters: sourceType('NUMERIC', 131089, 0) })],
      ['vc', Schemas.string({ ...optional, parameters: sourceType('VARCHAR', 20, 0) })],
      ['ch', Schemas.string({ ...optional, parameters: sourceType('BPCHAR', 5, 0) })],
      ['tx', Schemas.string({ ...optional, parameters: sourceType('TEXT', 2147483647, 0) })],
      ['by', Schemas.bytes({ ...optional, parameters: sourceType('BYTEA', 2147483647, 0) })],
      ['uu', named(Schemas.string, DebeziumNames.uuid, sourceType('UUID'))],
      ['jb', named(Schemas.string, DebeziumNames.json, sourceType('JSONB'))],
      ['dt', named(Schemas.int32, DebeziumNames.date, sourceType('DATE', 13, 0))],
      ['tm', named(Schemas.int64, DebeziumNames.microTime, sourceType('TIME', 15, 6))],
      ['tz', named(Schemas.string, DebeziumNames.zonedTime, sourceType('TIMETZ', 21, 6))],
      ['t3', named(Schemas.int64, DebeziumNames.timestamp, sourceType('TIMESTAMP', 26, 3))],
      ['tt', named(Schemas.string, DebeziumNames.zonedTimestamp, sourceType('TIMESTAMPTZ', 35, 6))],
      ['iv', named(Schemas.float64, DebeziumNames.microDuration, sourceType('INTERVAL', 49, 6))],
      ['ia', Schemas.array(Schemas.int32(optional), { ...optional, parameters: sourceType('_INT4', 10, 0) })],
      ['bi', bits(5, sourceType('BIT', 5, 0))],
      ['bo', Schemas.boolean({ ...optional, parameters: sourceType('BOOL', 1, 0) })],
      ['pt', withOptions(point, { parameters: sourceType('POINT') })],
      ['mo', Logical.decimal(2, undefined, { ...optional, parameters: sourceType('MONEY', 2147483647, 2) })],
      [
        'mood',
        Schemas.string({
          ...optional,
          name: DebeziumNames.enum,
          version: 1,
          parameters: { allowed: 'happy,sad', ...sourceType('MOOD', 2147483647, 0) },
        }),
      ],
      ['ie', Schemas.string({ ...optional, parameters: sourceType('INET') })],
    ]
    const events = typedTable(fields, 'id', { db: 'postgres', schema: 'shop', table: 'from_pg' }, 'pg.public.things')
    const sink = task({ 'table.name.format': '${source.schema}.${source.table}', 'offsets.table': 'from_pg_offsets' })
    await sink.start()
    await sink.put([
      events.create(
        {
          id: 1,
          nm: '-12345678.1234',
          nf: { scale: 20, value: decimalToBytes('1234567890123.45678901234567890123', 20) },
          vc: 'twenty characters ok',
          ch: 'ab   ',
          tx: 'ünï',
          by: Buffer.from([0, 255]),
          uu: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
          jb: '{"b": 1, "a": [1, 2]}',
          dt: days('2024-02-29'),
          tm: 86_399_999_999,
          tz: '12:00:00.5+02:00',
          t3: Date.parse('2024-02-29T10:11:12.123Z'),
          tt: '2024-03-01T05:30:00.5+05:30',
          iv: 90_061_000_001,
          ia: [1, null, 3],
          bi: Buffer.from([0b10110]),
          bo: true,
          pt: { x: 1.5, y: -2, wkb: null, srid: null },
          mo: '-1000000.00',
          mood: 'sad',
          ie: '192.168.0.1/24',
        },
        0,
      ),
    ])
    await sink.flush()
    await sink.stop()
    expect(await columnTypes('from_pg')).toEqual({
      id: 'int(11) not null',
      nm: 'decimal(12,4)',
      nf: 'decimal(65,30)',
      vc: 'varchar(20)',
      ch: 'char(5)',
      tx: 'longtext',
      by: 'longblob',
      uu: 'char(36)',
      jb: 'longtext',
      dt: 'date',
      tm: 'time(6)',
      tz: 'time(6)',
      t3: 'datetime(3)',
      tt: 'datetime(6)',
      iv: 'bigint(20)',
      ia: 'longtext',
      bi: 'bit(5)',
      bo: 'tinyint(1)',
      pt: 'point',
      mo: 'decimal(19,2)',
      mood: "enum('happy','sad')",
      ie: 'longtext',
    })
    const read = fields.map(([name]) =>
      name === 'by'
        ? 'HEX(`by`) AS `by`'
        : name === 'bi'
          ? 'BIN(bi) AS bi'
          : name === 'pt'
            ? 'ST_AsText(pt) AS pt'
            : `CAST(\`${name}\` AS CHAR) AS \`${name}\``,
    )
    expect(await queryText(server, `SELECT ${read.join(', ')} FROM shop.from_pg`)).toEqual([
      {
        id: '1',
        nm: '-12345678.1234',
        nf: '1234567890123.456789012345678901230000000000',
        vc: 'twenty characters ok',
        ch: 'ab',
        tx: 'ünï',
        by: '00FF',
        uu: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
        jb: '{"b": 1, "a": [1, 2]}',
        dt: '2024-02-29',
        tm: '23:59:59.999999',
        tz: '10:00:00.500000',
        t3: '2024-02-29 10:11:12.123',
        tt: '2024-03-01 00:00:00.500000',
        iv: '90061000001',
        ia: '[1,null,3]',
        bi: '10110',
        bo: '1',
        pt: 'POINT(1.5 -2)',
        mo: '-1000000.00',
        mood: 'sad',
        ie: '192.168.0.1/24',
      },
    ])
  })

  it('gives fields without a propagated source type the type that holds their values exactly, evolves, and deletes by a typed key', async () => {
    const fields = FIELDS_OF_EVERY_SCHEMA
    const events = typedTable(fields, 'id', { db: 'shop', table: 'derived' }, 'derived')
    const sink = task({ 'table.name.format': 'derived', 'offsets.table': 'derived_offsets' })
    await sink.start()
    const row = {
      id: 'k1',
      i8: -128,
      i16: 32767,
      i32: -2147483648,
      i64: -9223372036854775808n,
      f32: -1.5,
      f64: 1e300,
      flag: false,
      s: 'ünï',
      raw: Buffer.from('\\x00'),
      dec: '1234567.891',
      dec_free: '-0.00001',
      vsd: { scale: 30, value: decimalToBytes('3.141592653589793238462643383279', 30) },
      day: new Date('1999-12-31T00:00:00Z'),
      clock: new Date('1970-01-01T23:59:59.999Z'),
      stamp: new Date('2038-01-19T03:14:08.001Z'),
      micro: Date.parse('1900-01-01T00:00:00Z') * 1000 + 1,
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
    }
    await sink.put([events.flat(row, 0), events.flat({ ...row, id: 'k2' }, 1)])
    await sink.flush()
    const wider = typedTable([...fields, ['added', Logical.decimal(2, 5, optional)]], 'id', { db: 'shop', table: 'derived' }, 'derived')
    await sink.put([wider.remove({ ...row, added: null }, 2), wider.create({ ...row, id: 'k3', added: '-123.45' }, 3)])
    await sink.flush()
    await sink.stop()
    expect(await columnTypes('derived')).toEqual({
      id: 'varchar(255) not null',
      i8: 'tinyint(4)',
      i16: 'smallint(6)',
      i32: 'int(11)',
      i64: 'bigint(20)',
      f32: 'float',
      f64: 'double',
      flag: 'tinyint(1)',
      s: 'longtext',
      raw: 'longblob',
      dec: 'decimal(10,3)',
      dec_free: 'decimal(65,5)',
      vsd: 'decimal(65,30)',
      day: 'date',
      clock: 'time(3)',
      stamp: 'datetime(3)',
      micro: 'datetime(6)',
      nano: 'datetime(6)',
      micro_time: 'time(6)',
      zoned: 'datetime(6)',
      zoned_time: 'time(6)',
      duration: 'bigint(20)',
      year: 'year(4)',
      doc: 'longtext',
      uid: 'char(36)',
      mood: "enum('happy','sad')",
      bits: 'bit(12)',
      ints: 'longtext',
      words: 'longtext',
      nested: 'longtext',
      tags: 'longtext',
      where: 'point',
      added: 'decimal(5,2)',
    })
    const read = [...fields.map(([name]) => name), 'added'].map((name) =>
      name === 'raw'
        ? 'HEX(raw) AS raw'
        : name === 'bits'
          ? 'BIN(bits) AS bits'
          : name === 'where'
            ? 'ST_AsText(`where`) AS `where`'
            : `CAST(\`${name}\` AS CHAR) AS \`${name}\``,
    )
    const stored = await queryText(server, `SELECT ${read.join(', ')} FROM shop.derived ORDER BY id`)
    const expected = {
      i8: '-128',
      i16: '32767',
      i32: '-2147483648',
      i64: '-9223372036854775808',
      f32: '-1.5',
      f64: '1e300',
      flag: '0',
      s: 'ünï',
      raw: '5C783030',
      dec: '1234567.891',
      dec_free: '-0.00001',
      vsd: '3.141592653589793238462643383279',
      day: '1999-12-31',
      clock: '23:59:59.999',
      stamp: '2038-01-19 03:14:08.001',
      micro: '1900-01-01 00:00:00.000001',
      nano: '2001-09-09 01:46:40.123456',
      micro_time: '01:02:03.000004',
      zoned: '2024-06-01 10:00:00.000000',
      zoned_time: '10:00:00.500000',
      duration: '2629800000000',
      year: '2024',
      doc: '{"k": [1, "two"]}',
      uid: '123e4567-e89b-12d3-a456-426614174000',
      mood: 'sad',
      bits: '100000000001',
      ints: '[9007199254740993,-1]',
      words: '["x",null]',
      nested: '{"a":1,"b":"/w=="}',
      tags: '{"one":1}',
      where: 'POINT(-1.25 3)',
    }
    expect(stored).toEqual([
      { id: 'k2', ...expected, added: null },
      { id: 'k3', ...expected, added: '-123.45' },
    ])
  })
})
