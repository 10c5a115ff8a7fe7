/**
 * PostgreSQL column types with two values each, as SQL literals, for tests that replicate a table and
 * compare the copy's column types and values with the original's. Intervals have no days and timetz
 * values are in UTC: Debezium's change events keep neither (µs for an interval, the UTC time for a
 * timetz; see the sinks' docs), and neither do Tributary's, which match them.
 */
export const PG_TYPE_COLUMNS: ReadonlyArray<readonly [name: string, ddl: string, first: string, second: string]> = [
  ['sm', 'smallint', '-32768', '7'],
  ['bg', 'bigint', '9223372036854775807', '-5'],
  ['nm', 'numeric(12,4)', '-12345678.1234', '0.5'],
  ['nf', 'numeric', '1234567890123.45678901234567890123', '-0.000001'],
  ['rl', 'real', '0.1', '-0.25'],
  ['dp', 'double precision', '0.1', '1e300'],
  ['bo', 'boolean', 'true', 'false'],
  ['ch', 'char(5)', `'ab'`, `'abcde'`],
  ['vc', 'varchar(20)', `'héllo "q" \\ '''`, `''`],
  ['tx', 'text', `E'line\\nbreak'`, `'NULL'`],
  ['by', 'bytea', `'\\x000102ff'`, `''`],
  ['uu', 'uuid', `'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'`, `'00000000-0000-0000-0000-000000000000'`],
  ['js', 'json', `'{"b": 1,  "a": [1]}'`, `'"just a string"'`],
  ['jb', 'jsonb', `'{"b": 1, "a": [1, 2]}'`, `'null'`],
  ['xm', 'xml', `'<a>1</a>'`, `'<b/>'`],
  ['dt', 'date', `'2024-02-29'`, `'1900-03-01'`],
  ['tm', 'time', `'23:59:59.999999'`, `'00:00:00'`],
  ['t3', 'time(3)', `'12:34:56.789'`, `'00:00:01'`],
  ['tz', 'timetz', `'03:04:05.123456+00'`, `'04:59:59+00'`],
  ['ts', 'timestamp', `'2024-02-29 10:11:12.123456'`, `'1969-12-31 23:59:59.999999'`],
  ['t3s', 'timestamp(3)', `'2024-02-29 10:11:12.123'`, `'0001-01-01 00:00:00'`],
  ['tt', 'timestamptz', `'2024-02-29 10:11:12.123456Z'`, `'2024-03-01T05:30:00.5+05:30'`],
  ['iv', 'interval', `'25:01:01.000001'`, `'-00:00:00.000001'`],
  ['ia', 'int4[]', `'{1,NULL,3}'`, `'{}'`],
  ['ta', 'text[]', `ARRAY['a', 'b "q" \\', NULL, 'NULL']`, `'{""}'`],
  ['ie', 'inet', `'192.168.0.1/24'`, `'::1'`],
  ['ci', 'cidr', `'10.0.0.0/8'`, `'2001:db8::/32'`],
  ['ma', 'macaddr', `'08:00:2b:01:02:03'`, `'ff:ff:ff:ff:ff:ff'`],
  ['mo', 'money', `'12.34'`, `'-1000000.00'`],
  ['pt', 'point', `'(1.5,-2)'`, `'(0.1,1e-300)'`],
  ['bi', 'bit(5)', `B'10110'`, `B'00001'`],
  ['vb', 'bit varying(20)', `B'101000000000000001'`, `B'101'`],
  ['b1', 'bit(1)', `B'1'`, `B'0'`],
]
/** `(id integer PRIMARY KEY, <every column>)`. */
export const PG_TYPES_DDL = `(id integer PRIMARY KEY, ${PG_TYPE_COLUMNS.map(([name, ddl]) => `${name} ${ddl}`).join(', ')})`

/** Three rows: the first values, the second values, and one of nulls. */
export const pgTypeInserts = (table: string): string[] => [
  `INSERT INTO ${table} VALUES (1, ${PG_TYPE_COLUMNS.map(([, , first]) => first).join(', ')})`,
  `INSERT INTO ${table} VALUES (2, ${PG_TYPE_COLUMNS.map(([, , , second]) => second).join(', ')})`,
  `INSERT INTO ${table} (id) VALUES (3)`,
]
