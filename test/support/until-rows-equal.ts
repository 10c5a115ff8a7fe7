/** Waits until a target's rows equal the expected ones; on timeout the error lists what is missing and extra. */
import { eventually } from './worker-harness.ts'

export async function untilRowsEqual(
  read: () => Promise<string[]>,
  expected: readonly string[],
  timeoutMs: number,
  context: () => string | Promise<string>,
): Promise<void> {
  await eventually(read, (actual) => JSON.stringify(actual) === JSON.stringify(expected), timeoutMs).catch(async (error: unknown) => {
    const actual = await read()
    const missing = expected.filter((row) => !actual.includes(row)).slice(0, 5)
    const extra = actual.filter((row) => !expected.includes(row)).slice(0, 5)
    throw new Error(
      `${(error as Error).message.slice(0, 80)}\nexpected ${expected.length} got ${actual.length}\nmissing ${JSON.stringify(missing)}\nextra ${JSON.stringify(extra)}\n${await context()}`,
    )
  })
}
