/** Builds the dashboard (ui/) into dist/ui, which the worker serves at /ui; no build server runs beside the worker. */
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

const here = (relative: string) => fileURLToPath(new URL(relative, import.meta.url))

export default defineConfig({
  root: here('.'),
  base: '/ui/',
  // Preact's automatic JSX runtime through Vite's own transformer: no Babel, no framework plugin.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: here('../dist/ui'), emptyOutDir: true, target: 'es2022' },
  logLevel: 'warn',
})
