/** Writes docs/connectors/<name>.md for every built-in connector from its config schema. */
import fs from 'node:fs'
import path from 'node:path'
import { builtinPlugins } from '../connectors/index.ts'
import { connectorDoc } from '../core/runtime/connector-docs.ts'

const dir = path.resolve(import.meta.dirname, '../docs/connectors')
fs.mkdirSync(dir, { recursive: true })
for (const plugin of builtinPlugins) fs.writeFileSync(path.join(dir, `${plugin.name}.md`), connectorDoc(plugin))
process.stdout.write(`wrote ${builtinPlugins.length} connector pages to docs/connectors/\n`)
