/**
 * The hooks every dashboard test file needs: the page built once per file, one Chromium per file, and
 * per test a fresh worker and page, with a screenshot of the page as each test ends (passed or not).
 */
import type { Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { buildDashboard } from './dashboard-build.ts'
import { launchChromium, type HeadlessChromium } from './headless-chromium.ts'
import { startWorkerHarness, type WorkerHarness } from './worker-harness.ts'

export interface OpenOptions {
  readonly authToken?: string
  readonly viewport?: { width: number; height: number }
  /** The route in the hash, e.g. `#/new`. */
  readonly hash?: string
}

export interface DashboardSession {
  /** `cspViolations`: what the browser's console said about the Content-Security-Policy, from the first load on. */
  open(options?: OpenOptions): Promise<{ harness: WorkerHarness; page: Page; cspViolations: string[] }>
  screenshot(page: Page, name: string): Promise<string>
}

export function dashboardSession(folder: string): DashboardSession {
  let dashboard: { dir: string; remove: () => Promise<void> } | undefined
  let browser: HeadlessChromium | undefined
  let harness: WorkerHarness | undefined
  let page: Page | undefined

  beforeAll(async () => {
    dashboard = await buildDashboard()
    browser = await launchChromium(folder)
  })
  afterAll(async () => {
    await browser?.close()
    await dashboard?.remove()
  })
  afterEach(async (context) => {
    if (page !== undefined) await browser?.screenshot(page, context.task.name.replace(/\W+/g, '-'))
    await page?.close()
    page = undefined
    await harness?.close()
    harness = undefined
  })

  return {
    async open(options = {}) {
      if (dashboard === undefined || browser === undefined) throw new Error('dashboardSession: open() runs inside a test')
      harness = await startWorkerHarness({
        dashboardDir: dashboard.dir,
        ...(options.authToken !== undefined && { authToken: options.authToken }),
      })
      page = await browser.newPage(options.viewport)
      const cspViolations: string[] = []
      page.on('console', (message) => {
        if (message.text().includes('Content Security Policy')) cspViolations.push(message.text())
      })
      await page.goto(`${harness.base}/ui/${options.hash ?? ''}`)
      return { harness, page, cspViolations }
    },
    screenshot(shot, name) {
      if (browser === undefined) throw new Error('dashboardSession: screenshot() runs inside a test')
      return browser.screenshot(shot, name)
    },
  }
}
