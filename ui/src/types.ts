/** The REST API's JSON as the dashboard reads it (Kafka Connect's shapes, plus /metrics/connectors). */

export type State = 'UNASSIGNED' | 'RUNNING' | 'PAUSED' | 'STOPPED' | 'FAILED' | 'RESTARTING'

export type TaskDetails = Readonly<Record<string, string | number | boolean | null>>

export interface TaskStatus {
  readonly id: number
  readonly state: State
  readonly worker_id: string
  readonly trace?: string
  readonly details?: TaskDetails
}

export interface ConnectorStatus {
  readonly name: string
  readonly connector: { readonly state: State; readonly worker_id: string; readonly trace?: string }
  readonly tasks: readonly TaskStatus[]
  readonly type: 'source' | 'sink' | 'unknown'
}

export interface ConnectorInfo {
  readonly name: string
  readonly config: Readonly<Record<string, string>>
  readonly type: 'source' | 'sink'
}

/** The pipeline file that owns a connector (`expand=pipeline`); null for a connector made by API. */
export type PipelineOwner = { readonly name: string; readonly file: string } | null

/** `GET /connectors?expand=status&expand=info&expand=pipeline` */
export type ExpandedConnectors = Readonly<
  Record<string, { readonly status: ConnectorStatus; readonly info: ConnectorInfo; readonly pipeline: PipelineOwner }>
>

export interface ConnectorTotals {
  readonly source_records_polled: number
  readonly source_records_written: number
  readonly sink_records_put: number
  readonly records_filtered: number
  readonly record_errors: number
  readonly sink_lag_records: number
}

/** `GET /metrics/connectors`: counters since the worker started, read at `at` (ms since the epoch). */
export interface MetricsReading {
  readonly at: number
  readonly connectors: Readonly<Record<string, ConnectorTotals>>
}

/** `GET /connector-plugins` */
export interface PluginInfo {
  readonly class: string
  readonly type: 'source' | 'sink'
  readonly version: string
}

/** Kafka Connect's ConfigKeyInfo: `GET /connector-plugins/{plugin}/config` */
export interface ConfigKey {
  readonly name: string
  readonly type: 'STRING' | 'INT' | 'LONG' | 'DOUBLE' | 'BOOLEAN' | 'LIST' | 'PASSWORD'
  readonly required: boolean
  readonly default_value: string | null
  readonly documentation: string
  readonly group: string
  readonly display_name: string
  readonly recommended_values?: readonly string[]
}

/** Kafka Connect's ConfigInfos: `PUT /connector-plugins/{plugin}/config/validate` */
export interface ConfigValidation {
  readonly error_count: number
  readonly configs: ReadonlyArray<{
    readonly definition: ConfigKey
    readonly value: { readonly name: string; readonly errors: readonly string[] }
  }>
}

/** `GET /topics`: one entry per topic. */
export interface TopicDescription {
  readonly name: string
  readonly config: Readonly<Record<string, string | number>>
  readonly partitions: ReadonlyArray<{
    readonly partition: number
    readonly logStartOffset: number
    readonly highWatermark: number
    readonly sizeBytes: number
  }>
}

/** `GET /groups` */
export interface GroupListing {
  readonly groupId: string
  readonly state: string
  readonly members: number
  readonly lag: number
}

/** One record of `GET /topics/{name}/records`: UTF-8 text, or base64 with `*_encoding`. */
export interface RecordView {
  readonly partition: number
  readonly offset: number
  readonly timestamp: number
  readonly key: string | null
  readonly key_encoding?: 'base64'
  readonly value: string | null
  readonly value_encoding?: 'base64'
  readonly headers: Readonly<Record<string, string | null>>
  /** With `decode=registry`: a key or value in the Schema Registry's wire format, read as JSON, or why not. */
  readonly key_format?: RegistryFormat
  readonly key_schema_id?: number
  readonly key_decode_error?: string
  readonly value_format?: RegistryFormat
  readonly value_schema_id?: number
  readonly value_decode_error?: string
}

export type RegistryFormat = 'avro' | 'json-schema' | 'protobuf'

export interface RecordsPage {
  readonly records: readonly RecordView[]
  readonly next_offset: number
  readonly high_watermark: number
}
