/** Flag parsing shared by the subcommands: `--url`, `--token` and `--json` everywhere. */
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { CliError, EXIT } from './cli-error.ts'
import { restClient, type RestClient } from './rest-client.ts'

type Options = NonNullable<ParseArgsConfig['options']>

/** The flags every command that talks to a worker accepts. */
export const COMMON_OPTIONS = {
  url: { type: 'string' },
  token: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const satisfies Options

export interface Parsed {
  readonly values: Record<string, string | boolean | undefined>
  readonly positionals: string[]
  readonly json: boolean
  readonly client: RestClient
}

export function parse(args: string[], options: Options = {}): Parsed {
  try {
    const { values, positionals } = parseArgs({ args, options: { ...COMMON_OPTIONS, ...options }, allowPositionals: true, strict: true })
    const flat = values as Record<string, string | boolean | undefined>
    return {
      values: flat,
      positionals,
      json: flat.json === true,
      client: restClient(flat.url as string | undefined, flat.token as string | undefined),
    }
  } catch (error) {
    throw new CliError((error as Error).message, EXIT.usage)
  }
}

export function required(value: string | undefined, what: string): string {
  if (value === undefined || value === '') throw new CliError(`missing ${what}; see tributary --help`, EXIT.usage)
  return value
}
