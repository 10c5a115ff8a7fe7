/**
 * The overview: every connector with its tasks, live, grouped by the pipeline that owns it.
 * Connectors with their statuses, and the metric counters, are polled together (two readings give
 * the rates), then the dead-letter topics they name.
 */
import { useState } from 'preact/hooks'
import type { Action } from './actions.ts'
import { ApiError, request } from './api.ts'
import { ConfirmDialog } from './confirm-dialog.tsx'
import { ConnectorCard } from './connector-card.tsx'
import { DEAD_LETTER_KEY, deadLetterCounts } from './dead-letters.ts'
import { NavBar } from './nav-bar.tsx'
import { groupByPipeline } from './pipeline-groups.ts'
import { addReading, emptyHistory, type RateHistory } from './rates.ts'
import type { FirstSeen } from './snapshot-progress.ts'
import { Sparkline } from './sparkline.tsx'
import type { ExpandedConnectors, MetricsReading } from './types.ts'
import { usePoll } from './use-poll.ts'

interface View {
  readonly connectors: ExpandedConnectors
  readonly reading: MetricsReading
  /** Records per dead-letter topic. */
  readonly deadLetters: Readonly<Record<string, number>>
  readonly rates: RateHistory
  /** Keyed `<connector>/<task>`: where each running snapshot was when the page first saw it, for its ETA. */
  readonly snapshots: Readonly<Record<string, FirstSeen>>
}

export function Overview({ onUnauthorized }: { onUnauthorized: () => void }) {
  const [view, setView] = useState<View | undefined>(undefined)
  const [pending, setPending] = useState<Action | undefined>(undefined)
  const [notice, setNotice] = useState<{ text: string; bad: boolean } | undefined>(undefined)

  const polling = usePoll(
    async () => {
      const [connectors, reading] = await Promise.all([
        request<ExpandedConnectors>('GET', '/connectors?expand=status&expand=info&expand=pipeline'),
        request<MetricsReading>('GET', '/metrics/connectors'),
      ])
      const deadLetters = await deadLetterCounts(connectors)
      setView((previous) => ({
        connectors,
        reading,
        deadLetters,
        rates: addReading(previous?.rates ?? emptyHistory, reading),
        snapshots: trackSnapshots(previous?.snapshots ?? {}, connectors, reading.at),
      }))
    },
    { onUnauthorized },
  )

  const run = async (action: Action) => {
    setPending(undefined)
    try {
      await request(action.method, action.path)
      setNotice({ text: `${action.label} ${action.target}: done`, bad: false })
    } catch (error) {
      if (error instanceof ApiError && error.code === 'unauthorized') onUnauthorized()
      setNotice({ text: `${action.label} ${action.target} failed: ${(error as Error).message}`, bad: true })
    }
    polling.refresh()
  }

  const groups = groupByPipeline(Object.fromEntries(Object.entries(view?.connectors ?? {}).map(([name, entry]) => [name, entry.pipeline])))
  const card = (name: string) => {
    const entry = view?.connectors[name]
    if (view === undefined || entry === undefined) return null
    const deadLetterTopic = entry.info.config[DEAD_LETTER_KEY]
    return (
      <ConnectorCard
        key={name}
        status={entry.status}
        info={entry.info}
        totals={view.reading.connectors[name]}
        rates={view.rates.connectors[name] ?? []}
        deadLetters={deadLetterTopic === undefined ? undefined : { topic: deadLetterTopic, count: view.deadLetters[deadLetterTopic] ?? 0 }}
        snapshots={view.snapshots}
        at={view.reading.at}
        // A new object per request: asking again for the action just cancelled must still change the state.
        onAction={(action) => setPending({ ...action })}
      />
    )
  }
  return (
    <main>
      <NavBar current="#/">
        {view && (
          // biome-ignore lint/a11y/useSemanticElements: <fieldset> is for form controls; this names two charts as one group
          <div class="figures" role="group" aria-label="All connectors">
            <Sparkline values={view.rates.in} label="in" />
            <Sparkline values={view.rates.out} label="out" />
          </div>
        )}
      </NavBar>
      <div aria-live="polite" class="notices">
        {polling.error && (
          <p class="bad">
            {polling.error.message}
            {polling.retryInMs !== undefined && ` (trying again in ${Math.round(polling.retryInMs / 1000)} s)`}
          </p>
        )}
        {notice && <p class={notice.bad ? 'bad' : 'muted'}>{notice.text}</p>}
      </div>
      {view === undefined && polling.error === undefined && <p class="muted">Loading…</p>}
      {view !== undefined && groups.length === 0 && (
        <p class="muted">No connectors yet. Create one with POST /connectors or a pipeline file.</p>
      )}
      {groups.map(({ pipeline, connectors }) => {
        // Headings only where there is something to tell apart: one group of API-made connectors needs none.
        const heading = pipeline !== undefined ? `Pipeline ${pipeline.name}` : groups.length > 1 ? 'Other connectors' : undefined
        const id = `group-${pipeline?.name ?? 'other'}`
        return (
          <section
            key={id}
            class="group"
            aria-labelledby={heading === undefined ? undefined : id}
            aria-label={heading === undefined ? 'Connectors' : undefined}
            data-pipeline={pipeline?.name}
          >
            {heading !== undefined && (
              <h2 id={id} class="group-title">
                {heading}
                {pipeline !== undefined && <span class="muted"> {pipeline.file}</span>}
              </h2>
            )}
            <div class="connectors">{connectors.map(card)}</div>
          </section>
        )
      })}
      <ConfirmDialog action={pending} onConfirm={(action) => void run(action)} onCancel={() => setPending(undefined)} />
    </main>
  )
}

function trackSnapshots(
  previous: Readonly<Record<string, FirstSeen>>,
  connectors: ExpandedConnectors,
  at: number,
): Record<string, FirstSeen> {
  const next: Record<string, FirstSeen> = {}
  for (const [name, { status }] of Object.entries(connectors)) {
    for (const task of status.tasks) {
      const done = task.details?.snapshot_rows_done
      if (task.details?.phase !== 'snapshot' || typeof done !== 'number') continue
      const key = `${name}/${task.id}`
      next[key] = previous[key] ?? { done, at }
    }
  }
  return next
}
