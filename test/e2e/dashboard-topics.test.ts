import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { avroCodec } from '../../core/runtime/schema/avro-codec.ts'
import { frame } from '../../core/runtime/wire-format.ts'
import { dashboardSession } from '../support/dashboard-session.ts'
import { eventually } from '../support/worker-harness.ts'

const { open, screenshot } = dashboardSession('dashboard-topics')

const change = {
  before: { id: 2, total: 10 },
  after: { id: 2, total: 12 },
  source: { connector: 'postgres', db: 'shop', schema: 'public', table: 'orders' },
  op: 'u',
  ts_ms: 1,
}

describe('dashboard topics', () => {
  it("lists topics and groups, and browses a topic's records with JSON and change events laid out", async () => {
    const { harness, page } = await open({ hash: '#/topics' })
    expect((await harness.request('POST', '/topics', { name: 'orders.changes', partitions: 2 })).status).toBe(201)
    const produced = await harness.request('POST', '/topics/orders.changes/records', {
      records: [
        { key: 'order-1', value: '{"id":1,"total":12}', partition: 1, timestamp: Date.UTC(2026, 0, 1, 10) },
        { key: 'order-2', value: JSON.stringify(change), partition: 1, timestamp: Date.UTC(2026, 0, 1, 11) },
        { key: 'order-3', value: 'plain text', partition: 1, timestamp: Date.UTC(2026, 0, 1, 12), headers: { origin: 'test' } },
      ],
    })
    expect(produced.status).toBe(200)
    const sink = await harness.request('POST', '/connectors', {
      name: 'archive',
      config: {
        'connector.class': 'file-sink',
        file: path.join(harness.dataDir, 'out.jsonl'),
        topics: 'orders.changes',
        'key.converter': 'string',
        'value.converter': 'string',
      },
    })
    expect(sink.status).toBe(201)

    const row = page.locator('tr[data-topic="orders.changes"]')
    await row.locator('td[data-records="3"]').waitFor()
    expect(await row.locator('td').allTextContents()).toEqual(['2', '3', expect.stringMatching(/^\d+ B$/), '7d'])
    // The sink's group once it has committed all three records, as the API and then the page tell.
    const group = await eventually(
      async () => (await harness.request('GET', '/groups/tributary-archive')).body,
      (found) => found.offsets?.some((offset: { partition: number; offset: number }) => offset.partition === 1 && offset.offset === 3),
    )
    await page.locator('tr[data-group="tributary-archive"]', { hasText: group.state }).locator(`td[data-lag="0"]`).waitFor()
    await screenshot(page, 'topics-and-groups')

    await row.getByRole('link', { name: 'orders.changes' }).click()
    await page.getByLabel('Partition').selectOption('1')
    await page.getByRole('button', { name: 'Read' }).click()
    const records = page.getByRole('list', { name: 'Records of orders.changes' })
    await records.locator('li[data-offset="2"]').waitFor()
    expect(await records.locator('li[data-offset="0"] pre[data-kind="json"]').textContent()).toBe('{\n  "id": 1,\n  "total": 12\n}')
    const event = records.locator('li[data-offset="1"] [data-kind="change"]')
    expect(await event.locator('p').textContent()).toBe('update on public.orders')
    expect(await event.locator('pre').allTextContents()).toEqual([
      JSON.stringify(change.before, null, 2),
      JSON.stringify(change.after, null, 2),
    ])
    expect(await records.locator('li[data-offset="2"] pre[data-kind="text"]').textContent()).toBe('plain text')
    expect(await records.locator('li[data-offset="2"] dd').textContent()).toBe('test')
    await screenshot(page, 'record-browser')

    await page.getByLabel('Key contains').fill('order-2')
    expect(await records.locator('li').count()).toBe(1)
    await page.getByLabel('Key contains').fill('')

    await page.getByLabel('From').selectOption('offset')
    await page.getByLabel('Offset').fill('2')
    await page.getByRole('button', { name: 'Read' }).click()
    await page.locator('[data-summary]').getByText('1 of 1 records', { exact: false }).waitFor()

    // A time in the browser's zone; Chromium here runs in the test process's zone, so build it the same way.
    const eleven = new Date(Date.UTC(2026, 0, 1, 11))
    const local = `${eleven.getFullYear()}-${pad(eleven.getMonth() + 1)}-${pad(eleven.getDate())}T${pad(eleven.getHours())}:${pad(eleven.getMinutes())}:00`
    await page.getByLabel('From').selectOption('time')
    await page.getByLabel('Time', { exact: false }).fill(local)
    await page.getByRole('button', { name: 'Read' }).click()
    await page.locator('[data-summary]').getByText('2 of 2 records', { exact: false }).waitFor()
    const items = await records.locator('li').all()
    expect(await Promise.all(items.map((item) => item.getAttribute('data-offset')))).toEqual(['1', '2'])
  })

  it("shows records in the Schema Registry's wire format decoded, with their format and schema id", async () => {
    const { harness, page } = await open({ hash: '#/topics' })
    const input = {
      schema: JSON.stringify({
        type: 'record',
        name: 'Payment',
        fields: [
          { name: 'id', type: 'long' },
          { name: 'note', type: 'string' },
        ],
      }),
      schemaType: 'AVRO' as const,
    }
    const { id } = await (await harness.registry()).register('payments-value', input)
    const avro = frame(id, avroCodec.writer(avroCodec.reader({ ...input, references: [] }).schema)({ id: 7, note: 'tip' }))
    expect((await harness.request('POST', '/topics', { name: 'payments' })).status).toBe(201)
    const records = [avro, frame(4242, Buffer.from([1, 2]))].map((bytes) => ({
      key: 'p-7',
      value: bytes.toString('base64'),
      value_encoding: 'base64',
    }))
    expect((await harness.request('POST', '/topics/payments/records', { records })).status).toBe(200)

    await page.locator('tr[data-topic="payments"]').getByRole('link', { name: 'payments' }).click()
    await page.getByRole('button', { name: 'Read' }).click()
    const list = page.getByRole('list', { name: 'Records of payments' })
    await list.locator('li[data-offset="1"]').waitFor()
    expect(await list.locator('li[data-offset="0"] [data-registry="value"]').textContent()).toBe(`Avro, schema id ${id}`)
    expect(await list.locator('li[data-offset="0"] pre[data-kind="json"]').textContent()).toBe('{\n  "id": 7,\n  "note": "tip"\n}')
    expect(await list.locator('li[data-offset="1"] [data-registry="value"]').textContent()).toMatch(/^not decoded: schema id 4242: /)
    expect(await list.locator('li[data-offset="1"] pre[data-kind="binary"]').textContent()).toBe(
      `base64:${frame(4242, Buffer.from([1, 2])).toString('base64')}`,
    )
    await screenshot(page, 'record-browser-registry')
  })
})

function pad(value: number): string {
  return String(value).padStart(2, '0')
}
