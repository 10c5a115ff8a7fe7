/**
 * Reads one topic's records: a partition, where to start (the oldest, the newest page, an offset or
 * a time), then page by page. The key filter applies to the records read, not on the worker. Keys and
 * values in the Schema Registry's wire format come decoded by the worker (`decode=registry`).
 */
import { useEffect, useState } from 'preact/hooks'
import { ApiError, request } from './api.ts'
import { NavBar } from './nav-bar.tsx'
import { RecordItem } from './record-item.tsx'
import { FIRST_QUERY, RecordQueryForm, type RecordQuery } from './record-query-form.tsx'
import type { RecordsPage, TopicDescription } from './types.ts'

const PAGE = 50

export function RecordBrowser({ topic, onUnauthorized }: { topic: string; onUnauthorized: () => void }) {
  const [description, setDescription] = useState<TopicDescription | undefined>(undefined)
  const [query, setQuery] = useState<RecordQuery>(FIRST_QUERY)
  const [page, setPage] = useState<RecordsPage | undefined>(undefined)
  const [problem, setProblem] = useState<string | undefined>(undefined)

  const fail = (error: unknown) => {
    if (error instanceof ApiError && error.code === 'unauthorized') onUnauthorized()
    setProblem((error as Error).message)
  }
  useEffect(() => {
    request<TopicDescription>('GET', `/topics/${encodeURIComponent(topic)}`).then(setDescription, fail)
  }, [topic])

  const read = async (from: string) => {
    setProblem(undefined)
    try {
      setPage(
        await request<RecordsPage>(
          'GET',
          `/topics/${encodeURIComponent(topic)}/records?partition=${query.partition}&limit=${PAGE}&decode=registry&${from}`,
        ),
      )
    } catch (error) {
      fail(error)
    }
  }

  return (
    <main>
      <NavBar current="#/topics" />
      <h2>{topic}</h2>
      <RecordQueryForm
        partitions={(description?.partitions ?? [{ partition: 0 }]).map((candidate) => candidate.partition)}
        pageSize={PAGE}
        query={query}
        onChange={(change) => setQuery((previous) => ({ ...previous, ...change }))}
        onSubmit={() => firstQuery(topic, query).then(read, fail)}
      />
      <RecordPageView topic={topic} page={page} problem={problem} keyFilter={query.keyFilter} onNext={(from) => void read(from)} />
    </main>
  )
}

/** Where the first page starts, as the records request's query. */
async function firstQuery(topic: string, { partition, start, offset, time }: RecordQuery): Promise<string> {
  if (start === 'offset') return `offset=${Number(offset)}`
  if (start === 'time') return `timestamp=${new Date(time).getTime()}`
  if (start === 'earliest') return 'offset=earliest'
  // The newest page: the log end is read fresh, since records keep coming.
  const fresh = await request<TopicDescription>('GET', `/topics/${encodeURIComponent(topic)}`)
  const bounds = fresh.partitions.find((candidate) => candidate.partition === partition)
  return `offset=${Math.max(bounds?.logStartOffset ?? 0, (bounds?.highWatermark ?? 0) - PAGE)}`
}

/** The page read, its records that pass the key filter, and the way to the next page. */
function RecordPageView({
  topic,
  page,
  problem,
  keyFilter,
  onNext,
}: {
  topic: string
  page: RecordsPage | undefined
  problem: string | undefined
  keyFilter: string
  onNext: (from: string) => void
}) {
  const shown = page?.records.filter((record) => keyFilter === '' || (record.key ?? '').includes(keyFilter)) ?? []
  return (
    <>
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
            <button type="button" onClick={() => onNext(`offset=${page.next_offset}`)}>
              Next {PAGE}
            </button>
          )}
        </>
      )}
    </>
  )
}
