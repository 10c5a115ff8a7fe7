/**
 * The users file of the Kafka listener (`--kafka-users-file`): SCRAM credentials as JSON
 * (sasl-users.ts), read at start and written by `tributary users`. Written whole to a temporary file
 * and renamed, mode 0600, so a reader never sees half a file and other users never see it at all.
 */
import fs from 'node:fs'
import path from 'node:path'
import { TributaryError } from '../../errors.ts'
import { SaslUsers } from './sasl-users.ts'

/** The users in `file`; a file that does not exist yet holds none when `missingIsEmpty`. */
export function readUsersFile(file: string, options: { missingIsEmpty?: boolean } = {}): SaslUsers {
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (error) {
    if (options.missingIsEmpty === true && (error as NodeJS.ErrnoException).code === 'ENOENT') return SaslUsers.empty()
    throw new TributaryError('TRB_CONFIG_INVALID', `the Kafka users file ${file} cannot be read: ${(error as Error).message}`, {
      cause: error,
      details: { file },
    })
  }
  return SaslUsers.fromJson(text, file)
}

export function writeUsersFile(file: string, users: SaslUsers): void {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`)
  fs.writeFileSync(temporary, users.toJson(), { mode: 0o600 })
  fs.renameSync(temporary, file)
}
