/**
 * Every record of a topic's partition 0 as the REST API hands it out, key and value parsed as JSON
 * (a null stays null): what a test reads back from a source. [] while the topic does not exist.
 */
import type { WorkerHarness } from './worker-harness.ts'
import type { RestJson } from './rest-json.ts'

interface RestRecord {
  readonly offset: number
  readonly key: string | null
  readonly value: string | null
  readonly key_encoding?: 'utf8' | 'base64'
  readonly value_encoding?: 'utf8' | 'base64'
}

function parse(text: string | null, encoding: RestRecord['value_encoding']): RestJson {
  if (text === null) return null
  return JSON.parse(encoding === 'base64' ? Buffer.from(text, 'base64').toString('utf8') : text)
}

export async function topicRecords(
  harness: Pick<WorkerHarness, 'request'>,
  topic: string,
): Promise<Array<{ key: RestJson; value: RestJson }>> {
  return topicTail(harness, topic).more()
}

/**
 * Reads a topic's partition 0 on from where the last call stopped: for a wait on a large topic, each
 * probe reads only what came since the one before, so the probe does not starve the worker it waits on.
 */
export function topicTail(
  harness: Pick<WorkerHarness, 'request'>,
  topic: string,
): { more(): Promise<Array<{ key: RestJson; value: RestJson }>> } {
  let offset: number | 'earliest' = 'earliest'
  return {
    async more() {
      const records: Array<{ key: RestJson; value: RestJson }> = []
      for (;;) {
        const response = await harness.request('GET', `/topics/${topic}/records?partition=0&offset=${offset}&limit=10000`)
        const page = response.status === 200 ? (response.body.records as RestRecord[]) : []
        if (page.length === 0) return records
        for (const record of page)
          records.push({ key: parse(record.key, record.key_encoding), value: parse(record.value, record.value_encoding) })
        offset = (page[page.length - 1] as RestRecord).offset + 1
      }
    },
  }
}
