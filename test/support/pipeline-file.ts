/** Writes a pipeline YAML file into a config directory (made if missing) for a worker to load. */
import fs from 'node:fs'
import path from 'node:path'

export function writePipelineFile(configDir: string, pipeline: string, lines: readonly string[]): void {
  fs.mkdirSync(configDir, { recursive: true })
  fs.writeFileSync(path.join(configDir, `${pipeline}.yaml`), ['version: 1', `pipeline: ${pipeline}`, ...lines, ''].join('\n'))
}
