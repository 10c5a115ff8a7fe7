/**
 * `tributary users add|remove|list`: the Kafka listener's SASL users in its users file
 * (`--kafka-users-file`, env TRIBUTARY_KAFKA_USERS_FILE), kept as salted SCRAM credentials, never as
 * passwords. The password comes from standard input (one line), so it shows in no process list and
 * no shell history; at a terminal it is asked for without echo. A running worker reads the file at
 * start: restart it to apply a change.
 */
import readline from 'node:readline'
import { readUsersFile, writeUsersFile } from '../kafka/server/sasl-users-file.ts'
import { SCRAM_MIN_ITERATIONS } from '../kafka/server/scram.ts'
import { parse, required } from './args.ts'
import { CliError, EXIT } from './cli-error.ts'
import { printJson } from './output.ts'

/** The flags of `tributary users`, besides the common ones (args.ts). */
export const USERS_OPTIONS = { file: { type: 'string' }, iterations: { type: 'string' } } as const

export async function usersCommand(args: string[]): Promise<void> {
  const { values, positionals, json } = parse(args, USERS_OPTIONS)
  const [action, name] = positionals
  const file = required(
    (values.file as string | undefined) ?? process.env.TRIBUTARY_KAFKA_USERS_FILE,
    '--file (or TRIBUTARY_KAFKA_USERS_FILE)',
  )
  if (action === 'list') {
    const names = readUsersFile(file, { missingIsEmpty: true }).names
    if (json) return printJson(names)
    for (const user of names) process.stdout.write(`${user}\n`)
    return
  }
  const user = required(name, 'user name')
  if (user.includes(',') || user.includes('=')) throw new CliError('a Kafka user name may not hold "," or "="', EXIT.usage)
  const users = readUsersFile(file, { missingIsEmpty: true })
  if (action === 'add') {
    const iterations = Number(values.iterations ?? SCRAM_MIN_ITERATIONS)
    if (!Number.isInteger(iterations) || iterations < SCRAM_MIN_ITERATIONS)
      throw new CliError(`--iterations must be an integer of at least ${SCRAM_MIN_ITERATIONS}`, EXIT.usage)
    const password = await readPassword(`Password for ${user}: `)
    if (password === '') throw new CliError('an empty password is not allowed', EXIT.usage)
    writeUsersFile(file, users.withUser(user, password, iterations))
    process.stdout.write(
      `${users.names.includes(user) ? 'changed' : 'added'} ${user} in ${file} (SCRAM-SHA-256, SCRAM-SHA-512, PLAIN); restart the worker to apply\n`,
    )
    return
  }
  if (action === 'remove') {
    if (!users.names.includes(user)) throw new CliError(`no user ${user} in ${file}`, EXIT.notFound)
    writeUsersFile(file, users.withoutUser(user))
    process.stdout.write(`removed ${user} from ${file}; restart the worker to apply\n`)
    return
  }
  throw new CliError('usage: tributary users add|remove|list [name] --file FILE', EXIT.usage)
}

/** One line of standard input; at a terminal, asked for with the typed characters hidden. */
async function readPassword(prompt: string): Promise<string> {
  const input = process.stdin
  if (!input.isTTY) {
    const lines = readline.createInterface({ input })
    for await (const line of lines) {
      lines.close()
      return line
    }
    return ''
  }
  process.stderr.write(prompt)
  input.setRawMode(true)
  let password = ''
  try {
    for await (const chunk of input) {
      for (const char of String(chunk)) {
        if (char === '\r' || char === '\n') return password
        if (char === '\u0003') throw new CliError('cancelled', EXIT.failure)
        password = char === '\u007f' ? password.slice(0, -1) : password + char
      }
    }
    return password
  } finally {
    input.setRawMode(false)
    input.pause()
    process.stderr.write('\n')
  }
}
