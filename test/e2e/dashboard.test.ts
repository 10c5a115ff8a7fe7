import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { PipelineManager } from '../../core/worker/pipeline-manager.ts'
import { dashboardSession } from '../support/dashboard-session.ts'
import { eventually, type WorkerHarness } from '../support/worker-harness.ts'

const { open, screenshot } = dashboardSession('dashboard')

async function createWebhook(worker: WorkerHarness, name: string): Promise<void> {
  const created = await worker.request('POST', '/connectors', { name, config: { 'connector.class': 'http-source', topic: 'events' } })
  expect(created.status).toBe(201)
}

const card = (name: string) => `article[data-connector="${name}"]`

describe('dashboard overview', () => {
  it('shows a running connector and its task, and its rate rises while records are sent', async () => {
    const { harness, page } = await open()
    await createWebhook(harness, 'hooks')
    await page.locator(`${card('hooks')}[data-state="RUNNING"] li[data-task="0"][data-state="RUNNING"]`).waitFor()
    expect(await page.locator(`${card('hooks')} .rate-value`).getAttribute('data-rate')).toBe('0')

    // Read from outside the page: its Content-Security-Policy forbids compiling strings inside it (waitForFunction).
    const risen = eventually(
      () => page.locator(`${card('hooks')} .rate-value`).getAttribute('data-rate'),
      (rate) => Number(rate) > 0,
      30_000,
    )
    let sending = true
    const sender = (async () => {
      while (sending) expect((await harness.request('POST', '/ingest/hooks', [{ n: 1 }, { n: 2 }, { n: 3 }])).status).toBe(200)
    })()
    try {
      await risen
    } finally {
      sending = false
      await sender
    }
    expect(Number(await page.locator('.top .rate-value').first().getAttribute('data-rate'))).toBeGreaterThan(0)
  })

  it('shows a failed task with its error message and trace, and restarts that task after confirmation', async () => {
    const { harness, page } = await open()
    // A directory is no file to append to: the task fails on its first record and, with no restarts, stays FAILED.
    expect((await harness.request('POST', '/topics', { name: 'events' })).status).toBe(201)
    expect((await harness.request('POST', '/topics/events/records', { records: [{ key: null, value: '{"n":1}' }] })).status).toBe(200)
    const created = await harness.request('POST', '/connectors', {
      name: 'broken',
      config: { 'connector.class': 'file-sink', file: harness.dataDir, topics: 'events', 'restart.max.attempts': '0' },
    })
    expect(created.status).toBe(201)
    const task = page.locator(`${card('broken')} li[data-task="0"][data-state="FAILED"]`)
    await task.waitFor()
    const trace = (await harness.request('GET', '/connectors/broken/tasks/0/status')).body.trace as string
    expect(await task.locator('.error-message').textContent()).toBe(trace.split('\n')[0])
    await task.getByText('Trace').click()
    await task.locator('pre').waitFor()
    await screenshot(page, 'failed-task')

    await task.getByRole('button', { name: 'Restart task 0 of broken' }).click()
    await page.getByRole('dialog').getByText('Restart task 0 of broken?').waitFor()
    const restarted = page.waitForResponse(
      (response) => response.url().endsWith('/connectors/broken/tasks/0/restart') && response.request().method() === 'POST',
    )
    await page.getByRole('dialog').getByRole('button', { name: 'Restart task' }).click()
    expect((await restarted).status()).toBe(204)
  })

  it('asks for the REST token when the worker requires one, and keeps it for the tab', async () => {
    const { harness, page } = await open({ authToken: 'sesame' })
    await createWebhook(harness, 'hooks')
    await page.getByLabel('REST API token').fill('wrong')
    await page.getByRole('button', { name: 'Open the dashboard' }).click()
    await page.getByRole('alert').getByText('The worker refused the token.').waitFor()
    await page.getByLabel('REST API token').fill('sesame')
    await page.getByRole('button', { name: 'Open the dashboard' }).click()
    await page.locator(card('hooks')).waitFor()
    await page.reload()
    await page.locator(card('hooks')).waitFor()
  })

  it('fits a phone screen without sideways scrolling', async () => {
    const { harness, page } = await open({ viewport: { width: 390, height: 844 } })
    await createWebhook(harness, 'a-connector-with-a-rather-long-name-from-a-pipeline.webhook')
    await page.locator(`${card('a-connector-with-a-rather-long-name-from-a-pipeline.webhook')}[data-state="RUNNING"]`).waitFor()
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390)
  })
})

describe('dashboard pipelines', () => {
  it('groups connectors by the pipeline that owns them and counts the dead letters they name', async () => {
    const { harness, page } = await open()
    const configDir = path.join(harness.dataDir, 'pipelines')
    fs.mkdirSync(configDir)
    const file = path.join(configDir, 'shop.yaml')
    fs.writeFileSync(
      file,
      [
        'version: 1',
        'pipeline: shop',
        'topic: { name: shop.orders }',
        'sources:',
        '  - { id: hook, type: http-source }',
        'sinks:',
        `  - { id: archive, type: file-sink, with: { file: ${JSON.stringify(path.join(harness.dataDir, 'shop.jsonl'))} } }`,
        'dead_letter: { topic: shop.dlq }',
        '',
      ].join('\n'),
    )
    await new PipelineManager(harness.worker, configDir).apply()
    await createWebhook(harness, 'by-hand')

    const shop = page.getByRole('region', { name: `Pipeline shop ${file}` })
    await shop.locator(`${card('shop.archive')}[data-state="RUNNING"]`).waitFor()
    await shop.locator(card('shop.hook')).waitFor()
    await page.getByRole('region', { name: 'Other connectors' }).locator(card('by-hand')).waitFor()
    expect(await shop.locator(`${card('shop.archive')} [data-dead-letters]`).getAttribute('data-dead-letters')).toBe('0')

    // Not JSON: the sink's converter refuses it, and the pipeline's dead_letter takes it.
    expect((await harness.request('POST', '/topics/shop.orders/records', { records: [{ value: 'not json' }] })).status).toBe(200)
    await shop.locator(`${card('shop.archive')} [data-dead-letters="1"]`).waitFor()
    await screenshot(page, 'pipelines-and-dead-letters')
    await shop.locator(card('shop.archive')).getByRole('link', { name: '1 dead letter in shop.dlq' }).click()
    await page.getByRole('heading', { name: 'shop.dlq' }).waitFor()
  })
})

describe('dashboard actions', () => {
  it('pauses and resumes a connector from the page, after confirmation, as the API then reports', async () => {
    const { harness, page } = await open()
    await createWebhook(harness, 'hooks')
    await page.locator(`${card('hooks')}[data-state="RUNNING"]`).waitFor()

    const pause = page.getByRole('button', { name: 'Pause hooks' })
    await pause.click()
    const dialog = page.getByRole('dialog')
    await dialog.getByText('Pause hooks?', { exact: false }).waitFor()
    const paused = page.waitForResponse((response) => response.url().endsWith('/connectors/hooks/pause'))
    await dialog.getByRole('button', { name: 'Pause' }).click()
    expect((await paused).status()).toBe(202)
    expect((await harness.request('GET', '/connectors/hooks/status')).body.connector.state).toBe('PAUSED')
    await page.locator(`${card('hooks')}[data-state="PAUSED"]`).waitFor()

    await page.getByRole('button', { name: 'Resume hooks' }).click()
    const resumed = page.waitForResponse((response) => response.url().endsWith('/connectors/hooks/resume'))
    await dialog.getByRole('button', { name: 'Resume' }).click()
    expect((await resumed).status()).toBe(202)
    expect((await harness.request('GET', '/connectors/hooks/status')).body.connector.state).toBe('RUNNING')
    await page.locator(`${card('hooks')}[data-state="RUNNING"]`).waitFor()
  })

  it('sends nothing when the confirmation is cancelled, by keyboard alone', async () => {
    const { harness, page } = await open()
    await createWebhook(harness, 'hooks')
    await page.locator(`${card('hooks')}[data-state="RUNNING"]`).waitFor()
    const changes: string[] = []
    page.on('request', (request) => {
      if (request.method() !== 'GET') changes.push(`${request.method()} ${request.url()}`)
    })
    const pause = page.getByRole('button', { name: 'Pause hooks' })
    await pause.focus()
    await page.keyboard.press('Enter')
    await page.getByRole('dialog').waitFor()
    await page.keyboard.press('Escape')
    await page.getByRole('dialog').waitFor({ state: 'hidden' })
    expect(await page.evaluate('document.activeElement?.getAttribute("aria-label")')).toBe('Pause hooks')
    // Cancel by its button too, then wait for a full poll cycle so a stray request would have been seen.
    await page.keyboard.press('Enter')
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).press('Enter')
    await page.getByRole('dialog').waitFor({ state: 'hidden' })
    await page.waitForResponse((response) => response.url().includes('/connectors?expand'))
    expect(changes).toEqual([])
    expect((await harness.request('GET', '/connectors/hooks/status')).body.connector.state).toBe('RUNNING')
  })

  it('restarts and deletes a connector after confirmation', async () => {
    const { harness, page } = await open()
    await createWebhook(harness, 'hooks')
    await page.locator(`${card('hooks')}[data-state="RUNNING"]`).waitFor()
    const dialog = page.getByRole('dialog')

    await page.getByRole('button', { name: 'Restart hooks' }).click()
    const restarted = page.waitForResponse((response) => response.url().endsWith('/connectors/hooks/restart?includeTasks=true'))
    await dialog.getByRole('button', { name: 'Restart' }).click()
    expect((await restarted).status()).toBe(202)

    await page.getByRole('button', { name: 'Delete hooks' }).click()
    await dialog.getByText('replication slot', { exact: false }).waitFor()
    const deleted = page.waitForResponse((response) => response.request().method() === 'DELETE')
    await dialog.getByRole('button', { name: 'Delete' }).click()
    expect((await deleted).status()).toBe(204)
    expect((await harness.request('GET', '/connectors')).body).toEqual([])
    await page.locator(card('hooks')).waitFor({ state: 'detached' })
    await page.getByText('No connectors yet.', { exact: false }).waitFor()
  })
})
