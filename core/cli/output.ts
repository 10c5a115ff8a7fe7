/** Human tables by default, JSON for scripts (`--json`); progress bars on a terminal's stderr. */
import cliProgress from 'cli-progress'

export function printTable(rows: ReadonlyArray<Record<string, unknown>>, columns: readonly string[]): void {
  const cells = rows.map((row) => columns.map((column) => formatCell(row[column])))
  const widths = columns.map((column, index) => Math.max(column.length, ...cells.map((row) => (row[index] ?? '').length)))
  const line = (values: readonly string[]) =>
    values
      .map((value, index) => value.padEnd(widths[index] ?? 0))
      .join('  ')
      .trimEnd()
  process.stdout.write(`${line(columns.map((c) => c.toUpperCase()))}\n`)
  for (const row of cells) process.stdout.write(`${line(row)}\n`)
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`)
}

function formatCell(value: unknown): string {
  if (value === null || value === undefined) return '-'
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}

/**
 * A progress bar (cli-progress) on stderr, drawn only when stderr is a terminal, so pipes, files and
 * scripts get clean output. A total that grows as it goes (a topic still being written) is followed.
 */
export function progressBar(
  label: string,
  stream: NodeJS.WritableStream = process.stderr,
): { update(done: number, total: number): void; done(): void } {
  const bar = new cliProgress.SingleBar(
    { stream, format: `${label} [{bar}] {value}/{total} {percentage}% eta {eta_formatted}`, barsize: 30, hideCursor: true },
    cliProgress.Presets.legacy,
  )
  let started = false
  return {
    update(done, total) {
      if (total <= 0) return
      if (!started) bar.start(total, done)
      else {
        bar.setTotal(total)
        bar.update(done)
      }
      started = true
    },
    done() {
      if (started) bar.stop()
    },
  }
}
