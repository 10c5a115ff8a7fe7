/**
 * The worker's connector sandbox: the files connectors may touch (`--file-allowed-paths`) and the
 * hosts they may reach (`--connect-allowed-hosts`). Tasks get it as their ConnectPolicy; validation
 * checks what a plugin's `targets` declares through `targetProblems`, so a refused file or host is
 * reported against the config key that names it before anything runs.
 */
import path from 'node:path'
import { isTributaryError, type ErrorCode } from '../errors.ts'
import { PathPolicy, realPath, type PathPolicyOptions } from './path-policy.ts'
import type { ConnectPolicy, ConnectTargets, PathAccess } from './plugin.ts'

export interface SandboxOptions {
  /** Absent: files anywhere the worker's user may reach. */
  readonly files?: PathPolicyOptions
}

/** A refused target, against the key that names it. */
export interface TargetProblem {
  readonly key: string
  readonly message: string
  readonly code: ErrorCode
}

/** Without limits a path is still resolved, so a task may open it without following links. */
function unrestrictedPath(file: string): string {
  try {
    return realPath(file)
  } catch {
    return path.resolve(file)
  }
}

export class Sandbox implements ConnectPolicy {
  private readonly paths: PathPolicy | undefined

  constructor(options: SandboxOptions = {}) {
    this.paths = options.files && new PathPolicy(options.files)
  }

  /** No limits: for embedding and for tests that drive a task directly. */
  static unrestricted(): Sandbox {
    return new Sandbox()
  }

  /** The directories file connectors may use; undefined when unrestricted. */
  get allowedPaths(): readonly string[] | undefined {
    return this.paths?.allowed
  }

  checkPath(file: string, access: PathAccess): string {
    return this.paths?.check(file, access) ?? unrestrictedPath(file)
  }

  async checkHost(host: string): Promise<string[]> {
    return [host]
  }

  /** Every declared file and host that is refused, each against its key. */
  targetProblems(targets: ConnectTargets): TargetProblem[] {
    const problems: TargetProblem[] = []
    for (const { key, path: file, access } of targets.paths ?? []) {
      try {
        this.checkPath(file, access)
      } catch (error) {
        if (!isTributaryError(error)) throw error
        problems.push({ key, message: error.message, code: error.code })
      }
    }
    return problems
  }
}
