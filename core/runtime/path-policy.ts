/**
 * Which files connectors may read and write (`--file-allowed-paths`): a list of directories, plus
 * directories inside them that stay closed (the log's own storage). A path is judged by where it
 * really leads: `..` is normalised and symbolic links resolved, through the deepest existing ancestor
 * for a file not created yet, so a link inside an allowed directory that points out of it is refused.
 * The resolved path is what the caller must open.
 */
import fs from 'node:fs'
import path from 'node:path'
import { TributaryError } from '../errors.ts'

/** How a connector uses a file. */
export type PathAccess = 'read' | 'write'

export const FILE_ALLOWED_PATHS_SETTING = '--file-allowed-paths (TRIBUTARY_FILE_ALLOWED_PATHS)'

export interface PathPolicyOptions {
  /** Directories connectors may use, and everything below them. */
  readonly allowed: readonly string[]
  /** Directories below an allowed one that stay closed, e.g. the log's topic segments. */
  readonly denied?: readonly string[]
}

export class PathPolicy {
  readonly allowed: readonly string[]
  private readonly denied: readonly string[]

  constructor(options: PathPolicyOptions) {
    this.allowed = options.allowed.map((dir) => path.resolve(dir))
    this.denied = (options.denied ?? []).map((dir) => path.resolve(dir))
  }

  /** The real path to open for `file`; throws TRB_PATH_NOT_ALLOWED when it leads outside the allowed directories. */
  check(file: string, access: PathAccess): string {
    const given = path.resolve(file)
    let real: string
    try {
      real = realPath(given)
    } catch (error) {
      throw refused(
        file,
        access,
        `"${file}" cannot be resolved (${(error as NodeJS.ErrnoException).code ?? 'error'}), so it cannot be checked against ${FILE_ALLOWED_PATHS_SETTING}`,
      )
    }
    // Roots are resolved on each check: a data directory may be created, or a link in its path changed, later.
    const inside = (roots: readonly string[]) => roots.some((root) => isWithin(resolvedRoot(root), real))
    if (inside(this.denied)) {
      throw refused(
        file,
        access,
        `"${file}" is inside the worker's own log storage, which connectors may not ${access === 'read' ? 'read' : 'write'}`,
      )
    }
    if (!inside(this.allowed)) {
      const how = this.allowed.some((root) => isWithin(root, given)) ? 'leads through a symbolic link to a place outside' : 'is outside'
      throw refused(
        file,
        access,
        `"${file}" ${how} the directories file connectors may ${access === 'read' ? 'read' : 'write'} (${this.allowed.join(', ')}); add a directory to ${FILE_ALLOWED_PATHS_SETTING} to allow it`,
      )
    }
    return real
  }
}

/**
 * Opens a path check() answered, without following a symbolic link as its last component (O_NOFOLLOW):
 * check() resolved every link away, so one there now was planted after the check, and is refused as
 * the check would have refused it.
 */
export async function openUnfollowed(real: string, flags: number, access: PathAccess, mode?: number): Promise<fs.promises.FileHandle> {
  try {
    return await fs.promises.open(real, flags | fs.constants.O_NOFOLLOW, mode)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOOP') throw error
    throw refused(real, access, `"${real}" became a symbolic link after it was checked; file connectors do not follow a link planted there`)
  }
}

/** `file` with every symbolic link resolved; the part below its deepest existing ancestor is kept as written. */
export function realPath(file: string): string {
  const rest: string[] = []
  let current = path.resolve(file)
  let links = 0
  for (;;) {
    try {
      return path.join(fs.realpathSync.native(current), ...rest)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      const parent = path.dirname(current)
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || parent === current) throw error
      // A dangling link is followed to where a file created through it would be.
      const target = danglingLinkTarget(current)
      if (target !== undefined) {
        if (++links > MAX_LINKS) throw Object.assign(new Error(`too many symbolic links in ${file}`), { code: 'ELOOP' })
        current = path.resolve(parent, target)
        continue
      }
      rest.unshift(path.basename(current))
      current = parent
    }
  }
}

/** As Linux's MAXSYMLINKS. */
const MAX_LINKS = 40

function danglingLinkTarget(file: string): string | undefined {
  try {
    return fs.lstatSync(file).isSymbolicLink() ? fs.readlinkSync(file) : undefined
  } catch {
    return undefined
  }
}

function isWithin(root: string, file: string): boolean {
  const relative = path.relative(root, file)
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative))
}

/** A root that cannot be resolved (not searchable) is taken as written. */
function resolvedRoot(root: string): string {
  try {
    return realPath(root)
  } catch {
    return root
  }
}

function refused(file: string, access: PathAccess, message: string): TributaryError {
  return new TributaryError('TRB_PATH_NOT_ALLOWED', message, { details: { file, access, setting: FILE_ALLOWED_PATHS_SETTING } })
}
