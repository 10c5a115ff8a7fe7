/**
 * A connector's reference page, produced from the same zod schema that validates its config, so the
 * docs cannot drift from the code (`npm run docs` writes docs/connectors/; a test checks they match).
 */
import { describeConfigKeys } from './config-keys.ts'
import { SECRET_KEY_PATTERN, type ConnectorPlugin } from './plugin.ts'

export function connectorDoc(plugin: ConnectorPlugin): string {
  const keys = describeConfigKeys(plugin.config, plugin.name, SECRET_KEY_PATTERN)
  const rows = keys.map((key) => {
    const values = key.recommended_values?.length ? ` One of: ${key.recommended_values.map((v) => `\`${v}\``).join(', ')}.` : ''
    const meaning = key.documentation.replaceAll('|', '\\|').replace(/([^.])$/, '$1.')
    return `| \`${key.name}\` | ${key.required ? 'yes' : 'no'} | ${key.default_value === null ? '' : `\`${key.default_value}\``} | ${meaning}${values} |`
  })
  const aliases = plugin.aliases?.length
    ? `\nAlso accepted as \`connector.class\`: ${plugin.aliases.map((a) => `\`${a}\``).join(', ')}.\n`
    : ''
  return [
    `# ${plugin.name} (${plugin.kind})`,
    '',
    `${plugin.description}.`,
    aliases,
    '| key | required | default | meaning |',
    '|---|---|---|---|',
    ...rows,
    '',
    'Every connector also takes the common keys (`tasks.max`, `errors.*`, `key.converter`, `value.converter`,',
    '`transforms`, `restart.*`): see [../connectors.md](../connectors.md).',
    '',
    ...(plugin.reference === undefined ? [] : [plugin.reference.trim(), '']),
  ].join('\n')
}
