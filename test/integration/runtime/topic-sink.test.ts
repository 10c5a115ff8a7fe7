import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { eventually, startWorkerHarness, type WorkerHarness } from '../../support/worker-harness.ts'

let harness: WorkerHarness
beforeEach(async () => {
  harness = await startWorkerHarness()
})
afterEach(async () => {
  await harness.close()
})

async function values(topic: string): Promise<unknown[]> {
  const response = await harness.request('GET', `/topics/${topic}/records?partition=0&offset=earliest&limit=1000`)
  return response.status === 200 ? response.body.records.map((r: { value: string }) => JSON.parse(r.value)) : []
}

describe('topic-sink', () => {
  it('processes topic A into topic B through transforms, resuming after a restart without loss', async () => {
    await harness.request('POST', '/topics', { name: 'orders' })
    const produce = (records: unknown[]) =>
      harness.request('POST', '/topics/orders/records', { records: records.map((r) => ({ value: JSON.stringify(r) })) })
    await produce([
      { id: 1, status: 'paid', card: '4111' },
      { id: 2, status: 'open', card: '4222' },
    ])
    const created = await harness.request('POST', '/connectors', {
      name: 'paid-orders',
      config: {
        'connector.class': 'topic-sink',
        topics: 'orders',
        topic: 'orders.paid',
        transforms: 'paid,mask',
        'transforms.paid.type': 'filter',
        'transforms.paid.expr': 'value.status == "paid"',
        'transforms.mask.type': 'mask-field',
        'transforms.mask.fields': 'card',
        'transforms.mask.replacement': '****',
      },
    })
    expect(created.status).toBe(201)
    await eventually(
      () => values('orders.paid'),
      (found) => found.length === 1,
    )
    await harness.restart()
    await produce([{ id: 3, status: 'paid', card: '4333' }])
    await eventually(
      () => values('orders.paid'),
      (found) => found.length === 2,
    )
    expect(await values('orders.paid')).toEqual([
      { id: 1, status: 'paid', card: '****' },
      { id: 3, status: 'paid', card: '****' },
    ])
    // The sink commits its offsets after the records it wrote are durable, so the commit may come a moment later.
    const group = await eventually(
      async () => (await harness.request('GET', '/groups/tributary-paid-orders')).body,
      (body) => body.offsets?.[0]?.offset === 3,
    )
    expect(group.offsets).toEqual([expect.objectContaining({ topic: 'orders', partition: 0, offset: 3, lag: 0 })])
  })
})

describe('topic-sink config', () => {
  it('refuses an output topic that is also an input', async () => {
    const refused = await harness.request('POST', '/connectors', {
      name: 'loop',
      config: { 'connector.class': 'topic-sink', topics: 'a,b', topic: 'b' },
    })
    expect(refused.status).toBe(400)
    expect(refused.body.message).toContain('topic: must differ from the input topics')
  })
})
