/**
 * Builds the dashboard from ui/ into a temp dir for one test file, so the page under test is the
 * source as it is now, whatever dist/ui holds.
 */
import { fileURLToPath } from 'node:url'
import { build } from 'vite'
import { makeTempDir } from './temp-dir.ts'

export async function buildDashboard(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const out = await makeTempDir('tributary-ui-')
  await build({
    configFile: fileURLToPath(new URL('../../ui/vite.config.ts', import.meta.url)),
    build: { outDir: out.path },
    logLevel: 'error',
  })
  return { dir: out.path, remove: out.remove }
}
