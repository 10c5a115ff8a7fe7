/**
 * The built-in connector plugins, listed explicitly (nothing registers itself on import).
 * `GET /connector-plugins` lists exactly this array.
 */
import type { ConnectorPlugin } from '../core/runtime/plugin.ts'
import { filePlugins } from './file/index.ts'
import { httpPlugins } from './http/index.ts'
import { mysqlSink } from './mysql/sink/sink.ts'
import { mysqlSource } from './mysql/source/source.ts'
import { postgresSink } from './postgres/sink/sink.ts'
import { postgresSource } from './postgres/source/source.ts'
import { topicSink } from './topic/sink.ts'

export const builtinPlugins: readonly ConnectorPlugin[] = [
  ...filePlugins,
  ...httpPlugins,
  topicSink,
  postgresSource,
  postgresSink,
  mysqlSource,
  mysqlSink,
]
