/**
 * MariaDB/MySQL column types with two values each, as SQL literals, for tests that capture a table
 * of every type (against Debezium, or replicated into another server) and compare column types and
 * values. The values sit at each type's edges: the signed and unsigned bounds, the widest decimals,
 * multi-byte and latin1 text, zero and fractional-second temporals.
 */
export const MARIADB_TYPE_COLUMNS: ReadonlyArray<readonly [name: string, ddl: string, first: string, second: string]> = [
  ['ti', 'tinyint', '-128', '127'],
  ['tiu', 'tinyint unsigned', '255', '0'],
  ['si', 'smallint', '-32768', '32767'],
  ['siu', 'smallint unsigned', '65535', '1'],
  ['mi', 'mediumint', '-8388608', '8388607'],
  ['miu', 'mediumint unsigned', '16777215', '2'],
  ['it', 'int', '-2147483648', '2147483647'],
  ['itu', 'int unsigned', '4294967295', '3'],
  ['bi', 'bigint', '-9223372036854775808', '9223372036854775807'],
  ['biu', 'bigint unsigned', '18446744073709551615', '9007199254740993'],
  ['de', 'decimal(20,6)', '-12345678901234.123456', '0.5'],
  ['d0', 'decimal(10,0)', '9999999999', '-1'],
  ['fl', 'float', '1.1', '-3.25e38'],
  ['db', 'double', '0.1', '1e300'],
  ['b1', 'bit(1)', `b'1'`, `b'0'`],
  ['b12', 'bit(12)', `b'101000000001'`, `b'1'`],
  ['bo', 'boolean', 'true', 'false'],
  ['ch', 'char(5)', `'ab'`, `'abcde'`],
  ['vc', 'varchar(40)', `'héllo "q" \\\\ ✓ 😀'`, `''`],
  ['tx', 'text', `'line\\nbreak'`, `'NULL'`],
  ['vl', 'varchar(20) character set latin1', `'café'`, `'x'`],
  ['bn', 'binary(4)', `x'00ff10'`, `x'01020304'`],
  ['vb', 'varbinary(10)', `x'000102ff'`, `''`],
  ['bl', 'blob', `x'deadbeef'`, `x'00'`],
  ['en', `enum('sad','ok','happy')`, `'happy'`, `'sad'`],
  ['st', `set('x','y','z')`, `'x,z'`, `''`],
  ['js', 'json', `'{"b": 1, "a": [1, 2]}'`, `'"just a string"'`],
  ['dt', 'date', `'2024-02-29'`, `'0000-00-00'`],
  ['tm', 'time', `'-838:59:59'`, `'23:59:59'`],
  ['t3', 'time(3)', `'12:34:56.789'`, `'00:00:01'`],
  ['t6', 'time(6)', `'838:59:59.000000'`, `'-00:00:00.000001'`],
  ['dtm', 'datetime', `'2024-02-29 10:11:12'`, `'0000-00-00 00:00:00'`],
  ['dt3', 'datetime(3)', `'2024-02-29 10:11:12.123'`, `'1000-01-01 00:00:00.000'`],
  ['dt6', 'datetime(6)', `'9999-12-31 23:59:59.999999'`, `'1969-12-31 23:59:59.999999'`],
  ['ts', 'timestamp null', `'2024-02-29 10:11:12'`, `'0000-00-00 00:00:00'`],
  ['ts3', 'timestamp(3) null', `'2024-02-29 10:11:12.123'`, `'1970-01-01 00:00:01.000'`],
  ['ts6', 'timestamp(6) null', `'2038-01-19 03:14:07.999999'`, `'2000-01-01 00:00:00.5'`],
  ['yr', 'year', '2024', '1901'],
]

/** Columns with defaults and NOT NULL, whose defaults Debezium writes into the schema. */
export const MARIADB_DEFAULT_COLUMNS: ReadonlyArray<readonly [name: string, ddl: string]> = [
  ['n_int', 'int NOT NULL DEFAULT 7'],
  ['n_big', 'bigint unsigned DEFAULT 42'],
  ['n_dec', 'decimal(8,3) DEFAULT 1.5'],
  ['n_vc', `varchar(10) NOT NULL DEFAULT 'x'`],
  ['n_en', `enum('a','b') NOT NULL DEFAULT 'b'`],
  ['n_dt', `date DEFAULT '2000-01-02'`],
  ['n_dtm', `datetime(3) DEFAULT '2000-01-02 03:04:05.678'`],
  ['n_ts', 'timestamp(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)'],
  ['n_zero', `datetime NOT NULL DEFAULT '0000-00-00 00:00:00'`],
  ['n_bit', `bit(1) NOT NULL DEFAULT b'1'`],
  ['n_fl', 'double DEFAULT 2.5'],
  ['n_yr', 'year DEFAULT 1999'],
  ['n_tm', `time(3) DEFAULT '01:02:03.5'`],
]

/** `(id int PRIMARY KEY, <every column>) DEFAULT CHARSET=utf8mb4`. */
export const MARIADB_TYPES_DDL = `(id int PRIMARY KEY, ${[...MARIADB_TYPE_COLUMNS, ...MARIADB_DEFAULT_COLUMNS].map(([name, ddl]) => `${name} ${ddl}`).join(', ')}) DEFAULT CHARSET=utf8mb4`

/** Three rows: the first values, the second values, and one of nulls (and defaults). */
export const mariaDbTypeInserts = (table: string): string[] => [
  `INSERT INTO ${table} (id, ${MARIADB_TYPE_COLUMNS.map(([name]) => name).join(', ')}) VALUES (1, ${MARIADB_TYPE_COLUMNS.map(([, , first]) => first).join(', ')})`,
  `INSERT INTO ${table} (id, ${MARIADB_TYPE_COLUMNS.map(([name]) => name).join(', ')}) VALUES (2, ${MARIADB_TYPE_COLUMNS.map(([, , , second]) => second).join(', ')})`,
  `INSERT INTO ${table} (id) VALUES (3)`,
]
