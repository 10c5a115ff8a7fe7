/** The worker as the container image runs it: compiled JavaScript, not the sources through tsx. */
import { spawnSync } from 'node:child_process'
import path from 'node:path'

export function compiledCli(): string {
  const root = path.resolve(import.meta.dirname, '..', '..')
  const outDir = path.join(root, '.bench-data', 'build')
  const tsc = spawnSync(
    process.execPath,
    [
      path.join(root, 'node_modules/typescript/bin/tsc'),
      '-p',
      path.join(root, 'tsconfig.build.json'),
      '--outDir',
      outDir,
      '--declaration',
      'false',
      '--sourceMap',
      'false',
    ],
    { encoding: 'utf8' },
  )
  if (tsc.status !== 0) throw new Error(`building the worker failed: ${tsc.stdout}${tsc.stderr}`)
  return path.join(outDir, 'core', 'cli.js')
}
