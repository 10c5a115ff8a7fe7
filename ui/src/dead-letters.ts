/** Records in each dead-letter topic the connectors name (`errors.deadletterqueue.topic.name`). */
import { ApiError, request } from './api.ts'
import type { ExpandedConnectors, TopicDescription } from './types.ts'

export const DEAD_LETTER_KEY = 'errors.deadletterqueue.topic.name'

export async function deadLetterCounts(connectors: ExpandedConnectors): Promise<Record<string, number>> {
  const topics = [
    ...new Set(
      Object.values(connectors)
        .map(({ info }) => info.config[DEAD_LETTER_KEY])
        .filter((topic): topic is string => topic !== undefined && topic !== ''),
    ),
  ]
  const counts = await Promise.all(
    topics.map(async (topic) => {
      try {
        const described = await request<TopicDescription>('GET', `/topics/${encodeURIComponent(topic)}`)
        return described.partitions.reduce((sum, p) => sum + p.highWatermark - p.logStartOffset, 0)
      } catch (error) {
        // The topic appears with its first dead letter.
        if (error instanceof ApiError && error.status === 404) return 0
        throw error
      }
    }),
  )
  return Object.fromEntries(topics.map((topic, index) => [topic, counts[index] ?? 0]))
}
