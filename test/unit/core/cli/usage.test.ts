import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { COMMON_OPTIONS } from '../../../../core/cli/args.ts'
import { CONNECTORS_OPTIONS } from '../../../../core/cli/connector-commands.ts'
import { PIPELINE_OPTIONS } from '../../../../core/cli/pipeline-commands.ts'
import { RUN_OPTIONS } from '../../../../core/cli/run-command.ts'
import { SCHEMAS_OPTIONS } from '../../../../core/cli/schemas-command.ts'
import { STATUS_OPTIONS } from '../../../../core/cli/status-command.ts'
import { TOPICS_OPTIONS } from '../../../../core/cli/topic-commands.ts'
import { USAGE } from '../../../../core/cli/usage.ts'
import { USERS_OPTIONS } from '../../../../core/cli/users-command.ts'

const flagsOf = (options: object): string[] => Object.keys(options).map((name) => `--${name}`)
const named = (text: string): string[] => [...new Set(text.match(/--[a-z][a-z0-9-]*/g) ?? [])]

/** The usage text from a line `<title>` to the next `Options for …` section, or to its end. */
function section(title: string): string {
  const start = USAGE.indexOf(`\n${title}\n`)
  expect(start, `the usage has no section "${title}"`).toBeGreaterThan(-1)
  const end = USAGE.indexOf('\nOptions for ', start + 1)
  return USAGE.slice(start, end === -1 ? undefined : end)
}

describe('tributary --help', () => {
  it('names every flag of run under "Options for run"', () => {
    expect(named(section('Options for run:'))).toEqual(expect.arrayContaining(flagsOf(RUN_OPTIONS)))
  })

  it('names every flag of schemas under "Options for schemas"', () => {
    expect(named(section('Options for schemas:'))).toEqual(expect.arrayContaining(flagsOf(SCHEMAS_OPTIONS)))
  })

  it('names every flag of the commands that talk to a worker', () => {
    const parsers = [COMMON_OPTIONS, CONNECTORS_OPTIONS, PIPELINE_OPTIONS, STATUS_OPTIONS, TOPICS_OPTIONS, USERS_OPTIONS]
    expect(named(USAGE)).toEqual(expect.arrayContaining(parsers.flatMap(flagsOf)))
  })

  it('names no flag that no parser knows', () => {
    const known = new Set([
      '--help',
      '--version',
      ...[
        COMMON_OPTIONS,
        CONNECTORS_OPTIONS,
        PIPELINE_OPTIONS,
        RUN_OPTIONS,
        SCHEMAS_OPTIONS,
        STATUS_OPTIONS,
        TOPICS_OPTIONS,
        USERS_OPTIONS,
      ].flatMap(flagsOf),
    ])
    expect(named(USAGE).filter((flag) => !known.has(flag))).toEqual([])
  })

  it("has every flag of run in README.md's table too", () => {
    const readme = fs.readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8')
    const command = /^## The command\n[\s\S]*?(?=^## )/m.exec(readme)?.[0] ?? ''
    expect(named(command)).toEqual(expect.arrayContaining(flagsOf(RUN_OPTIONS)))
  })
})
