/**
 * Runs one of the scripts that build a Java oracle (scripts/build-*.mjs: the Debezium engine, the
 * Apicurio consumer, the Kafka broker's classpath) once per test process: the script itself skips a
 * build that is up to date and keeps parallel test workers to one build. A failure names the script
 * and ends with what it printed; a later call tries again.
 */
import { spawn } from 'node:child_process'
import path from 'node:path'

const repoRoot = path.resolve(import.meta.dirname, '../..')
const OUTPUT_TAIL = 16_000

/** `ensure()` resolves once the script succeeded; `what` names it in the error ("building the Debezium oracle"). */
export function javaBuild(script: string, what: string): () => Promise<void> {
  const scriptPath = path.join(repoRoot, 'scripts', script)
  let built: Promise<void> | undefined
  return () => {
    built ??= new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, [scriptPath], { stdio: ['ignore', 'pipe', 'pipe'] })
      let output = ''
      const collect = (text: string) => (output = (output + text).slice(-OUTPUT_TAIL))
      child.stdout.setEncoding('utf8').on('data', collect)
      child.stderr.setEncoding('utf8').on('data', collect)
      child.once('error', reject)
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${what} failed (node scripts/${script}):\n${output}`))))
    })
    built.catch(() => (built = undefined))
    return built
  }
}
