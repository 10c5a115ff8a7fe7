/**
 * Reads one topic's records: a partition, where to start (the oldest, the newest page, an offset or
 * a time), then page by page. The key filter applies to the records read, not on the worker. Keys and
 * values in the Schema Registry's wire format come decoded by the worker (`decode=registry`).
 */
import { useEffect, useState } from 'preact/hooks'
import { ApiError, request } from './api.ts'
import { NavBar } from './nav-bar.tsx'
import { RecordItem } from './record-item.tsx'
import type { RecordsPage, TopicDescription } from './types.ts'

type Start = 'earliest' | 'newest' | 'offset' | 'time'
const PAGE = 50

export function RecordBrowser({ topic, onUnauthorized }: { topic: string; onUnauthorized: () => void }) {
  const [description, setDescription] = useState<TopicDescription | undefined>(undefined)
  const [partition, setPartition] = useState(0)
  const [start, setStart] = useState<Start>('earliest')
  const [offset, setOffset] = useState('0')
  const [time, setTime] = useState('')
  const [keyFilter, setKeyFilter] = useState('')
  const [page, setPage] = useState<RecordsPage | undefined>(undefined)
  const [problem, setProblem] = useState<string | undefined>(undefined)

  const fail = (error: unknown) => {
    if (error instanceof ApiError && error.code === 'unauthorized') onUnauthorized()
    setProblem((error as Error).message)
  }
  useEffect(() => {
    request<TopicDescription>('GET', `/topics/${encodeURIComponent(topic)}`).then(setDescription, fail)
  }, [topic])

  const read = async (query: string) => {
    setProblem(undefined)
    try {
      setPage(await request<RecordsPage>('GET', `/topics/${encodeURIComponent(topic)}/records?partition=${partition}&limit=${PAGE}&decode=registry&${query}`))
    } catch (error) {
      fail(error)
    }
  }
  const firstQuery = async (): Promise<string> => {
    if (start === 'offset') return `offset=${Number(offset)}`
    if (start === 'time') return `timestamp=${new Date(time).getTime()}`
    if (start === 'earliest') return 'offset=earliest'
    // The newest page: the log end is read fresh, since records keep coming.
    const fresh = await request<TopicDescription>('GET', `/topics/${encodeURIComponent(topic)}`)
    const bounds = fresh.partitions.find((candidate) => candidate.partition === partition)
    return `offset=${Math.max(bounds?.logStartOffset ?? 0, (bounds?.highWatermark ?? 0) - PAGE)}`
  }

  const shown = page?.records.filter((record) => keyFilter === '' || (record.key ?? '').includes(keyFilter)) ?? []
  return (
    <main>
      <NavBar current="#/topics" />
      <h2>{topic}</h2>
      <form
        class="record-query"
        onSubmit={(event) => {
          event.preventDefault()
          firstQuery().then(read, fail)
        }}
      >
        <div class="field">
          <label for="partition">Partition</label>
          <select id="partition" value={partition} onChange={(event) => setPartition(Number(event.currentTarget.value))}>
            {(description?.partitions ?? [{ partition: 0 }]).map((candidate) => (
              <option key={candidate.partition} value={candidate.partition}>
                {candidate.partition}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="start">From</label>
          <select id="start" value={start} onChange={(event) => setStart(event.currentTarget.value as Start)}>
            <option value="earliest">the oldest record</option>
            <option value="newest">the newest {PAGE}</option>
            <option value="offset">an offset</option>
            <option value="time">a time</option>
          </select>
        </div>
        {start === 'offset' && (
          <div class="field">
            <label for="offset">Offset</label>
            <input id="offset" inputMode="numeric" pattern="[0-9]+" required value={offset} onInput={(event) => setOffset(event.currentTarget.value)} />
          </div>
        )}
        {start === 'time' && (
          <div class="field">
            <label for="time">Time (this browser's time zone)</label>
            <input id="time" type="datetime-local" step="1" required value={time} onInput={(event) => setTime(event.currentTarget.value)} />
          </div>
        )}
        <div class="field">
          <label for="key-filter">Key contains</label>
          <input id="key-filter" autocomplete="off" value={keyFilter} onInput={(event) => setKeyFilter(event.currentTarget.value)} />
        </div>
        <button type="submit" class="primary">
          Read
        </button>
      </form>
      <div aria-live="polite">
        {problem !== undefined && <p class="bad">{problem}</p>}
        {page !== undefined && (
          <p class="muted" data-summary>
            {shown.length} of {page.records.length} records read shown; the partition ends at offset {page.high_watermark}.
          </p>
        )}
      </div>
      {page !== undefined && (
        <>
          <ol class="records" aria-label={`Records of ${topic}`}>
            {shown.map((record) => (
              <RecordItem key={`${record.partition}:${record.offset}`} record={record} />
            ))}
          </ol>
          {page.next_offset < page.high_watermark && (
            <button type="button" onClick={() => void read(`offset=${page.next_offset}`)}>
              Next {PAGE}
            </button>
          )}
        </>
      )}
    </main>
  )
}
