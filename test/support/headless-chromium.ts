/**
 * Debian's Chromium (/usr/bin/chromium, installed by .ci/run) driven by playwright-core, with a fresh
 * profile per launch and nothing reaching out to the network on its own. Screenshots go to
 * test-results/<folder>/ so a failure can be seen.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { makeTempDir } from './temp-dir.ts'

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export interface HeadlessChromium {
  readonly context: BrowserContext
  newPage(viewport?: { width: number; height: number }): Promise<Page>
  screenshot(page: Page, name: string): Promise<string>
  close(): Promise<void>
}

export async function launchChromium(folder: string): Promise<HeadlessChromium> {
  const profile = await makeTempDir('tributary-chromium-')
  // launchPersistentContext is playwright's way to pass a profile directory (it refuses --user-data-dir in args).
  const context = await chromium.launchPersistentContext(profile.path, { executablePath: '/usr/bin/chromium', headless: true, args: ARGS })
  const shots = fileURLToPath(new URL(`../../test-results/${folder}/`, import.meta.url))
  fs.mkdirSync(shots, { recursive: true })
  return {
    context,
    async newPage(viewport) {
      const page = await context.newPage()
      if (viewport) await page.setViewportSize(viewport)
      return page
    },
    async screenshot(page, name) {
      const file = path.join(shots, `${name}.png`)
      await page.screenshot({ path: file, fullPage: true })
      return file
    },
    async close() {
      await context.close()
      await profile.remove()
    },
  }
}
