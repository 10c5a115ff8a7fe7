/**
 * The worker's connector sandbox: the files connectors may touch (`--file-allowed-paths`) and the
 * hosts they may reach (`--connect-allowed-hosts`). Tasks get it as their ConnectPolicy; validation
 * checks what a plugin's `targets` declares through `targetProblems`, so a refused file or host is
 * reported against the config key that names it before anything runs.
 */
import path from 'node:path'
import net from 'node:net'
import { isTributaryError, type ErrorCode } from '../errors.ts'
import { HostPolicy, lookupAll } from './host-policy.ts'
import { PathPolicy, realPath, type PathPolicyOptions } from './path-policy.ts'
import type { ConnectPolicy, ConnectTargets, PathAccess } from './plugin.ts'

export interface SandboxOptions {
  /** Absent: files anywhere the worker's user may reach. */
  readonly files?: PathPolicyOptions
  /** CIDR ranges and host names connectors may reach; absent: any host. */
  readonly hosts?: readonly string[]
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
  private readonly hosts: HostPolicy | undefined

  constructor(options: SandboxOptions = {}) {
    this.paths = options.files && new PathPolicy(options.files)
    this.hosts = options.hosts && new HostPolicy(options.hosts)
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

  async checkHost(host: string, port: number): Promise<string[]> {
    if (this.hosts !== undefined) return this.hosts.resolve(host, port)
    const bare = host.replace(/^\[(.*)\]$/, '$1')
    return net.isIP(bare) !== 0 ? [bare] : lookupAll(bare, host, port)
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
    for (const { key, host, port } of targets.hosts ?? []) {
      const message = this.hosts?.refusalWithoutDns(host, port)
      if (message !== undefined) problems.push({ key, message, code: 'TRB_CONNECT_HOST_NOT_ALLOWED' })
    }
    return problems
  }
}
