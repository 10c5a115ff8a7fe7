/**
 * Third-party plugin modules for tests of --plugin-path: plain JavaScript files as a plugin author's
 * build would leave them. They bring their own zod (this checkout's, by URL, since a temp dir has no
 * node_modules) and export plain objects, which is all definePlugin returns at run time.
 */
import fs from 'node:fs'
import path from 'node:path'

/** zod's ESM entry, for `import { z } from ZOD_URL` in a module outside the checkout. */
export const ZOD_URL = import.meta.resolve('zod')

/** Writes `source` at `dir/relative` (directories made as needed) and returns its path. */
export function writeModule(dir: string, relative: string, source: string): string {
  const file = path.join(dir, relative)
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, source)
  return file
}

/**
 * A source plugin's module text: `counter-source` (or `name`) counts from where its stored offset
 * left off, one record a poll, up to the config's `count`, into the config's `topic`.
 */
export function counterSourceModule(name = 'counter-source', extra = ''): string {
  return `import { z } from ${JSON.stringify(ZOD_URL)}

const config = z.object({
  topic: z.string().min(1).describe('The topic the numbers go to'),
  count: z.coerce.number().int().min(1).default(5).describe('How many numbers to write'),
})

export default {
  kind: 'source',
  name: ${JSON.stringify(name)},
  version: '1.2.3',
  description: 'Counts from 1 to count, one record a poll',
  config,
  taskConfigs: (parsed) => [parsed],
  createTask(context) {
    const partition = { counter: context.connector }
    let next = 1
    return {
      async start() {
        const stored = await context.storedOffset(partition)
        next = stored === undefined ? 1 : Number(stored.n) + 1
      },
      async poll(signal) {
        if (next > context.config.count) {
          await context.clock.sleep(50, signal).catch(() => undefined)
          return []
        }
        const n = next++
        return [{ topic: context.config.topic, key: String(n), value: { n }, sourcePartition: partition, sourceOffset: { n } }]
      },
      async stop() {},
    }
  },
  ${extra}
}
`
}
