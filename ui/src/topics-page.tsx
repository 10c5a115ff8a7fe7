/** Topics with their partitions, records, sizes and retention, and consumer groups with their lag. */
import { useState } from 'preact/hooks'
import { request } from './api.ts'
import { formatBytes, formatCount, formatRetention } from './format.ts'
import { ListTable, type Column } from './list-table.tsx'
import { NavBar } from './nav-bar.tsx'
import type { GroupListing, TopicDescription } from './types.ts'
import { usePoll } from './use-poll.ts'

const records = (topic: TopicDescription) => topic.partitions.reduce((sum, p) => sum + p.highWatermark - p.logStartOffset, 0)

const TOPIC_COLUMNS: readonly Column<TopicDescription>[] = [
  { title: 'Name', cell: (topic) => <a href={`#/topics/${encodeURIComponent(topic.name)}`}>{topic.name}</a> },
  { title: 'Partitions', cell: (topic) => topic.partitions.length },
  { title: 'Records', cell: (topic) => formatCount(records(topic)), data: (topic) => ['records', records(topic)] },
  { title: 'Size', cell: (topic) => formatBytes(topic.partitions.reduce((sum, p) => sum + p.sizeBytes, 0)) },
  { title: 'Retention', cell: (topic) => retention(topic.config) },
]

const GROUP_COLUMNS: readonly Column<GroupListing>[] = [
  { title: 'Group', cell: (group) => group.groupId },
  { title: 'State', cell: (group) => group.state },
  { title: 'Members', cell: (group) => group.members },
  { title: 'Lag', cell: (group) => formatCount(group.lag), data: (group) => ['lag', group.lag] },
]

export function TopicsPage({ onUnauthorized }: { onUnauthorized: () => void }) {
  const [topics, setTopics] = useState<readonly TopicDescription[]>([])
  const [groups, setGroups] = useState<readonly GroupListing[]>([])
  const polling = usePoll(
    async () => {
      const [foundTopics, foundGroups] = await Promise.all([
        request<TopicDescription[]>('GET', '/topics'),
        request<GroupListing[]>('GET', '/groups'),
      ])
      setTopics([...foundTopics].sort((a, b) => a.name.localeCompare(b.name)))
      setGroups([...foundGroups].sort((a, b) => a.groupId.localeCompare(b.groupId)))
    },
    { onUnauthorized, everyMs: 2000 },
  )

  return (
    <main>
      <NavBar current="#/topics" />
      <div aria-live="polite">{polling.error && <p class="bad">{polling.error.message}</p>}</div>
      <section aria-labelledby="topics-heading">
        <h2 id="topics-heading">Topics</h2>
        <ListTable name="topics" columns={TOPIC_COLUMNS} items={topics} rowKey={(topic) => ['topic', topic.name]} />
      </section>
      <section aria-labelledby="groups-heading">
        <h2 id="groups-heading">Consumer groups</h2>
        {groups.length === 0 ? (
          <p class="muted">No consumer groups.</p>
        ) : (
          <ListTable name="groups" columns={GROUP_COLUMNS} items={groups} rowKey={(group) => ['group', group.groupId]} />
        )}
      </section>
    </main>
  )
}

function retention(config: Readonly<Record<string, string | number>>): string {
  const policy = String(config['cleanup.policy'] ?? 'delete')
  if (policy === 'compact') return 'compacted'
  const ms = Number(config['retention.ms'] ?? -1)
  const bytes = Number(config['retention.bytes'] ?? -1)
  return [formatRetention(ms), bytes >= 0 && formatBytes(bytes)].filter(Boolean).join(', ')
}
