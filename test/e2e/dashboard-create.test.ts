import { describe, expect, it } from 'vitest'
import { dashboardSession } from '../support/dashboard-session.ts'

const { open, screenshot } = dashboardSession('dashboard-create')

describe('dashboard create form', () => {
  it("builds its fields from the plugin schema, shows the worker's errors beside their fields, then creates the connector", async () => {
    const { harness, page, cspViolations } = await open()
    await page.getByRole('link', { name: 'New connector' }).click()
    await page.getByLabel('Name').fill('archive')
    await page.getByLabel('Plugin').selectOption('file-sink')
    await page.getByLabel('file', { exact: true }).fill(`${harness.dataDir}/out.jsonl`)
    const formats = await page.getByLabel('format', { exact: true }).locator('option').all()
    expect(await Promise.all(formats.map((option) => option.getAttribute('value')))).toEqual(['', 'json', 'raw'])
    await page.getByText('Common settings', { exact: false }).click()
    await page.getByLabel('tasks.max', { exact: true }).fill('many')

    const validated = page.waitForResponse((response) => response.url().endsWith('/connector-plugins/file-sink/config/validate'))
    await page.getByRole('button', { name: 'Create' }).click()
    expect((await validated).status()).toBe(200)
    await page.getByRole('alert').getByText('see the marked fields', { exact: false }).waitFor()
    expect(await page.locator('[data-field="tasks.max"] .field-errors').textContent()).toMatch(/\S/)
    expect(await page.locator('[data-field="topics"] .field-errors').textContent()).toContain('topics')
    expect(await page.getByLabel('tasks.max', { exact: true }).getAttribute('aria-invalid')).toBe('true')
    expect(await page.getByLabel('file', { exact: true }).getAttribute('aria-invalid')).toBe('false')
    await screenshot(page, 'create-form-errors')
    expect((await harness.request('GET', '/connectors')).body).toEqual([])

    await page.getByLabel('tasks.max', { exact: true }).fill('1')
    await page.getByLabel('topics', { exact: true }).fill('events')
    const created = page.waitForResponse((response) => response.url().endsWith('/connectors') && response.request().method() === 'POST')
    await page.getByRole('button', { name: 'Create' }).click()
    expect((await created).status()).toBe(201)
    await page.locator('article[data-connector="archive"][data-state="RUNNING"]').waitFor()
    expect((await harness.request('GET', '/connectors/archive/config')).body).toEqual({
      'connector.class': 'file-sink',
      file: `${harness.dataDir}/out.jsonl`,
      'tasks.max': '1',
      topics: 'events',
    })
    // The page ran, styled itself and wrote to the API under the worker's Content-Security-Policy.
    expect((await page.request.get(`${harness.base}/ui/`)).headers()['content-security-policy']).toContain("default-src 'self'")
    expect(cspViolations).toEqual([])
  })

  it('masks secret fields', async () => {
    const { page } = await open({ hash: '#/new' })
    await page.getByLabel('Plugin').selectOption('http-sink')
    const secret = page.locator('[data-field="auth.token"] input')
    expect(await secret.getAttribute('type')).toBe('password')
  })
})
