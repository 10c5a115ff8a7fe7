#!/usr/bin/env node
// Runs the compiled CLI when a build exists (the container image), else the TypeScript sources via tsx.
import { existsSync } from 'node:fs'

const compiled = new URL('../dist/core/cli.js', import.meta.url)
if (existsSync(compiled)) {
  await import(compiled.href)
} else {
  const { register } = await import('tsx/esm/api')
  register()
  await import(new URL('../core/cli.ts', import.meta.url).href)
}
