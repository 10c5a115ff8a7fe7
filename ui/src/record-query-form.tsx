/** Where the record browser reads from: a partition, where to start (the oldest, the newest page, an offset or a time) and a key filter. */
export type Start = 'earliest' | 'newest' | 'offset' | 'time'

export interface RecordQuery {
  readonly partition: number
  readonly start: Start
  /** The offset field's text, read when `start` is 'offset'. */
  readonly offset: string
  /** The time field's text (local time), read when `start` is 'time'. */
  readonly time: string
  readonly keyFilter: string
}

export const FIRST_QUERY: RecordQuery = { partition: 0, start: 'earliest', offset: '0', time: '', keyFilter: '' }

export function RecordQueryForm({
  partitions,
  pageSize,
  query,
  onChange,
  onSubmit,
}: {
  partitions: readonly number[]
  pageSize: number
  query: RecordQuery
  onChange: (change: Partial<RecordQuery>) => void
  onSubmit: () => void
}) {
  return (
    <form
      class="record-query"
      onSubmit={(event) => {
        event.preventDefault()
        onSubmit()
      }}
    >
      <div class="field">
        <label for="partition">Partition</label>
        <select id="partition" value={query.partition} onChange={(event) => onChange({ partition: Number(event.currentTarget.value) })}>
          {partitions.map((partition) => (
            <option key={partition} value={partition}>
              {partition}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="start">From</label>
        <select id="start" value={query.start} onChange={(event) => onChange({ start: event.currentTarget.value as Start })}>
          <option value="earliest">the oldest record</option>
          <option value="newest">the newest {pageSize}</option>
          <option value="offset">an offset</option>
          <option value="time">a time</option>
        </select>
      </div>
      {query.start === 'offset' && (
        <div class="field">
          <label for="offset">Offset</label>
          <input
            id="offset"
            inputMode="numeric"
            pattern="[0-9]+"
            required
            value={query.offset}
            onInput={(event) => onChange({ offset: event.currentTarget.value })}
          />
        </div>
      )}
      {query.start === 'time' && (
        <div class="field">
          <label for="time">Time (this browser's time zone)</label>
          <input
            id="time"
            type="datetime-local"
            step="1"
            required
            value={query.time}
            onInput={(event) => onChange({ time: event.currentTarget.value })}
          />
        </div>
      )}
      <div class="field">
        <label for="key-filter">Key contains</label>
        <input
          id="key-filter"
          autocomplete="off"
          value={query.keyFilter}
          onInput={(event) => onChange({ keyFilter: event.currentTarget.value })}
        />
      </div>
      <button type="submit" class="primary">
        Read
      </button>
    </form>
  )
}
