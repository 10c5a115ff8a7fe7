/** One record: position, time, key, headers, and its value as describeValue reads it, with what the Schema Registry said of each. */
import { describeValue } from './describe-value.ts'
import { KeyValues } from './key-values.tsx'
import { registryNote } from './registry-note.ts'
import type { RecordView } from './types.ts'

export function RecordItem({ record }: { record: RecordView }) {
  const value = describeValue(record.value, record.value_encoding)
  const headers = Object.entries(record.headers)
  const keyNote = registryNote(record, 'key')
  const valueNote = registryNote(record, 'value')
  return (
    <li class="record" data-offset={record.offset}>
      <div class="record-head">
        <span>
          {record.partition}:{record.offset}
        </span>
        <time dateTime={new Date(record.timestamp).toISOString()}>
          {new Date(record.timestamp).toISOString().replace('T', ' ').replace('Z', ' UTC')}
        </time>
        <span>
          key{' '}
          <code class="record-key">
            {record.key === null ? 'null' : record.key_encoding === 'base64' ? `base64:${record.key}` : record.key}
          </code>
          {keyNote !== undefined && (
            <span class={keyNote.isError ? 'bad' : undefined} data-registry="key">
              {' '}
              ({keyNote.text})
            </span>
          )}
        </span>
      </div>
      <KeyValues entries={headers} />
      {valueNote !== undefined && (
        <p class={valueNote.isError ? 'bad registry-note' : 'muted registry-note'} data-registry="value">
          {valueNote.text}
        </p>
      )}
      {value.kind === 'change' && (
        <div class="change" data-kind="change">
          <p>
            <strong>{value.operation}</strong>
            {value.table !== undefined && ` on ${value.table}`}
          </p>
          <div class="change-rows">
            <figure>
              <figcaption>before</figcaption>
              <pre>{value.before}</pre>
            </figure>
            <figure>
              <figcaption>after</figcaption>
              <pre>{value.after}</pre>
            </figure>
          </div>
        </div>
      )}
      {value.kind === 'json' && <pre data-kind="json">{value.pretty}</pre>}
      {value.kind === 'text' && <pre data-kind="text">{value.text}</pre>}
      {value.kind === 'binary' && <pre data-kind="binary">base64:{value.base64}</pre>}
      {value.kind === 'null' && (
        <p class="muted" data-kind="null">
          null (a tombstone)
        </p>
      )}
    </li>
  )
}
