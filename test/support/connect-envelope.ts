/**
 * Writes one side of a record as Kafka Connect's JsonConverter writes it with schemas.enable=true,
 * and reads the bytes back, so a test can check that a schema and its data agree: the envelope's
 * schema and payload as JSON, and the data and schema the converter reads from them.
 */
import { createPlainConverters } from '../../core/runtime/converters.ts'
import type { ConnectData } from '../../core/runtime/record-processing.ts'
import type { Schema } from '../../core/runtime/schema/schema.ts'

const { value: converter } = createPlainConverters({ 'value.converter.schemas.enable': 'true' })

export interface ConnectEnvelope {
  readonly schema: unknown
  readonly payload: unknown
  readonly readBack: ConnectData
}

export function throughJsonConverter(data: unknown, schema: Schema | undefined, topic = 't'): ConnectEnvelope {
  const bytes = converter.fromData(topic, data, schema)
  if (bytes === null) throw new Error('the converter wrote a tombstone')
  const { schema: written, payload } = JSON.parse(bytes.toString('utf8')) as { schema: unknown; payload: unknown }
  return { schema: written, payload, readBack: converter.toData(topic, bytes) }
}
