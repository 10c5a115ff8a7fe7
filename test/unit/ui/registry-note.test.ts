import { describe, expect, it } from 'vitest'
import { registryNote } from '../../../ui/src/registry-note.ts'
import type { RecordView } from '../../../ui/src/types.ts'

const record: RecordView = { partition: 0, offset: 0, timestamp: 0, key: 'k', value: '{"id":1}', headers: {} }

describe('what the record browser says of registry-decoded keys and values', () => {
  it('names the format and the schema id of a decoded key or value', () => {
    expect(registryNote({ ...record, value_format: 'avro', value_schema_id: 3 }, 'value')).toEqual({
      text: 'Avro, schema id 3',
      isError: false,
    })
    expect(registryNote({ ...record, key_format: 'json-schema', key_schema_id: 4 }, 'key')).toEqual({
      text: 'JSON Schema, schema id 4',
      isError: false,
    })
    expect(registryNote({ ...record, value_format: 'protobuf', value_schema_id: 5 }, 'value')?.text).toBe('Protobuf, schema id 5')
  })

  it('says why a framed value could not be read, and nothing of a plain one', () => {
    expect(
      registryNote(
        {
          ...record,
          value: 'AAAAEJI=',
          value_encoding: 'base64',
          value_schema_id: 4242,
          value_decode_error: 'schema id 4242: Schema not found',
        },
        'value',
      ),
    ).toEqual({ text: 'not decoded: schema id 4242: Schema not found', isError: true })
    expect(registryNote(record, 'value')).toBeUndefined()
    expect(registryNote({ ...record, value_format: 'avro', value_schema_id: 3 }, 'key')).toBeUndefined()
  })
})
