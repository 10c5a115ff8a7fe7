/** A writable stream that says it is a terminal and keeps what is written, for progress-bar output. */
import { Writable } from 'node:stream'

export function fakeTerminal(): { stream: NodeJS.WritableStream; text(): string } {
  const chunks: string[] = []
  const stream = Object.assign(
    new Writable({
      write(chunk, _encoding, done) {
        chunks.push(String(chunk))
        done()
      },
    }),
    { isTTY: true, columns: 120 },
  )
  // Cursor and line-clearing escapes removed: what a reader of the terminal would see, bar by bar.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI escape sequences, which start with ESC
  return { stream, text: () => chunks.join('').replace(/\x1b(\[[0-9;?]*[A-Za-z]|[78])/g, '') }
}
