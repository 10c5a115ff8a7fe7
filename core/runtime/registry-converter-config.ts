/**
 * The registry converters a connector can name (`avro`, `json-schema`, `protobuf`, or Confluent's
 * classes `io.confluent.connect.avro.AvroConverter`, `io.confluent.connect.json.JsonSchemaConverter`,
 * `io.confluent.connect.protobuf.ProtobufConverter`), and their settings under the converter's prefix, with
 * Confluent's names and defaults: `schema.registry.url` (default: the worker's built-in registry),
 * `basic.auth.user.info`, `bearer.auth.token`, `auto.register.schemas` (true), `use.latest.version`
 * (false), `normalize.schemas` (false), `key.subject.name.strategy` / `value.subject.name.strategy`
 * (TopicNameStrategy). A registry at a URL is reached only where --connect-allowed-hosts allows.
 */
import { TributaryError } from '../errors.ts'
import { RegistryClient } from '../registry/registry-client.ts'
import type { SchemaRegistry } from '../registry/registry.ts'
import type { ConnectorConfig } from './plugin.ts'
import type { DataConverter } from './record-processing.ts'
import { registryConverter, SUBJECT_NAME_STRATEGIES, type RegistryCodec } from './registry-converter.ts'
import { avroCodec } from './schema/avro-codec.ts'
import { jsonSchemaCodec } from './schema/json-schema-codec.ts'
import { protobufCodec } from './schema/protobuf-codec.ts'
import type { ConfigProblem } from './validate-connector.ts'

export const REGISTRY_CONVERTERS: Readonly<Record<string, RegistryCodec>> = {
  avro: avroCodec,
  'io.confluent.connect.avro.AvroConverter': avroCodec,
  'json-schema': jsonSchemaCodec,
  'io.confluent.connect.json.JsonSchemaConverter': jsonSchemaCodec,
  protobuf: protobufCodec,
  'io.confluent.connect.protobuf.ProtobufConverter': protobufCodec,
}

export interface RegistryServices {
  /** The worker's own registry, opened on first use. */
  readonly builtIn?: () => Promise<SchemaRegistry>
  /** Refuses a host outside --connect-allowed-hosts (throws); resolves when it may be reached. */
  readonly checkHost?: (host: string, port: number) => Promise<unknown>
}

const BOOLEAN_SETTINGS = ['auto.register.schemas', 'use.latest.version', 'normalize.schemas'] as const

function setting(config: ConnectorConfig, prefix: string, name: string): string | undefined {
  return config[`${prefix}.${name}`]
}

export function isRegistryConverter(name: string | undefined): boolean {
  return name !== undefined && REGISTRY_CONVERTERS[name] !== undefined
}

export function validateRegistryConverterConfig(config: ConnectorConfig, prefix: 'key.converter' | 'value.converter'): ConfigProblem[] {
  const problems: ConfigProblem[] = []
  for (const name of BOOLEAN_SETTINGS) {
    const value = setting(config, prefix, name)
    if (value !== undefined && value !== 'true' && value !== 'false')
      problems.push({ key: `${prefix}.${name}`, message: 'must be true or false' })
  }
  const url = setting(config, prefix, 'schema.registry.url')
  if (url !== undefined) {
    const first = url.split(',')[0]?.trim() ?? ''
    if (!URL.canParse(first) || !/^https?:$/.test(new URL(first).protocol))
      problems.push({
        key: `${prefix}.schema.registry.url`,
        message: 'must be an http:// or https:// URL (or leave it out for the built-in registry)',
      })
  }
  for (const side of ['key', 'value']) {
    const strategy = setting(config, prefix, `${side}.subject.name.strategy`)
    if (strategy !== undefined && SUBJECT_NAME_STRATEGIES[strategy] === undefined) {
      problems.push({
        key: `${prefix}.${side}.subject.name.strategy`,
        message: `unknown strategy "${strategy}"; use TopicNameStrategy, RecordNameStrategy or TopicRecordNameStrategy (Confluent's class names work too)`,
      })
    }
  }
  const source = setting(config, prefix, 'basic.auth.credentials.source')
  if (source !== undefined && source !== 'USER_INFO' && source !== 'URL')
    problems.push({ key: `${prefix}.basic.auth.credentials.source`, message: 'must be USER_INFO or URL' })
  return problems
}

/** The registry a converter's settings name: a client for the URL, or the built-in one. */
function registryOf(
  config: ConnectorConfig,
  prefix: string,
  services: RegistryServices,
): { registry: () => Promise<SchemaRegistry>; where: string } {
  const url = setting(config, prefix, 'schema.registry.url')?.split(',')[0]?.trim()
  if (url === undefined || url === '') {
    const builtIn = services.builtIn
    if (builtIn === undefined)
      throw new TributaryError(
        'TRB_CONNECTOR_CONFIG_INVALID',
        `${prefix}.schema.registry.url: this process has no built-in schema registry; name one`,
      )
    return { registry: builtIn, where: 'the built-in schema registry' }
  }
  const parsed = new URL(url)
  const fromUrl = parsed.username === '' ? undefined : `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`
  const basicAuth =
    setting(config, prefix, 'basic.auth.credentials.source') === 'URL'
      ? fromUrl
      : (setting(config, prefix, 'basic.auth.user.info') ?? fromUrl)
  const bearerToken = setting(config, prefix, 'bearer.auth.token')
  parsed.username = ''
  parsed.password = ''
  const client = new RegistryClient({
    url: parsed.toString(),
    ...(basicAuth !== undefined && { basicAuth }),
    ...(bearerToken !== undefined && { bearerToken }),
  })
  let checked: Promise<unknown> | undefined
  const port = Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80))
  return {
    registry: async () => {
      checked ??= services.checkHost?.(parsed.hostname.replace(/^\[|\]$/g, ''), port) ?? Promise.resolve()
      await checked
      return client
    },
    where: `the schema registry at ${parsed.origin}`,
  }
}

export function registryConverterFor(
  config: ConnectorConfig,
  prefix: 'key.converter' | 'value.converter',
  services: RegistryServices,
): DataConverter {
  const name = config[prefix] as string
  const codec = REGISTRY_CONVERTERS[name] as RegistryCodec
  const isKey = prefix === 'key.converter'
  const { registry, where } = registryOf(config, prefix, services)
  const strategy = setting(config, prefix, `${isKey ? 'key' : 'value'}.subject.name.strategy`)
  return registryConverter(codec, registry, {
    name,
    isKey,
    where,
    autoRegister: setting(config, prefix, 'auto.register.schemas') !== 'false',
    useLatestVersion: setting(config, prefix, 'use.latest.version') === 'true',
    normalize: setting(config, prefix, 'normalize.schemas') === 'true',
    strategy: strategy === undefined ? 'TopicNameStrategy' : (SUBJECT_NAME_STRATEGIES[strategy] ?? 'TopicNameStrategy'),
  })
}
