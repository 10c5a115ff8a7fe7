/** A benchmark's result: one JSON line on stdout for machines, an aligned summary on stderr for people. */
export function reportResult(result: Readonly<Record<string, unknown>>): void {
  for (const [key, value] of Object.entries(result))
    process.stderr.write(`${key.padEnd(26)} ${typeof value === 'object' ? JSON.stringify(value) : value}\n`)
  process.stdout.write(`${JSON.stringify(result)}\n`)
}
