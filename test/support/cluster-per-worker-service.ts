/**
 * The globalSetup half of "one Kafka cluster per test worker" (the projects on-kafka and real-kafka):
 * a loopback HTTP service, its URL handed to the project's tests by `inject('clusterService')`,
 * where a test file's process asks for a cluster with its process id (test/support/cluster-of-worker.ts).
 * A test process runs one file at a time (one after another, with isolate: false), so a cluster is
 * leased to one process at a time: a process keeps the cluster it got for all its files, and a
 * cluster whose holder has exited goes to the next process that asks. There are at most as many
 * clusters as files run at once (maxWorkers); a file that finds them all held waits, because vitest
 * may start a new process before the one it replaces has exited.
 * (VITEST_POOL_ID cannot tell two files apart: in a project that runs after others,
 * `sequence.groupOrder`, vitest gave two files running side by side the same id, and they emptied
 * and filled one cluster under each other.)
 * A cluster starts on the first request for it, not with the run: vitest runs every selected
 * project's globalSetup before the first file of any project, so clusters started there would idle,
 * holding memory and cores, while the other projects' files run. Starts go one at a time (the
 * JVMs of a real cluster starting already fill two cores); a failed start is tried again at the
 * next request. A cluster that has died since it started is not handed out: the asking test fails
 * with what went wrong. The run's end stops them all.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { TestProject } from 'vitest/node'

/** What a test needs to reach a cluster. */
export interface ClusterAddress {
  readonly brokers: string[]
  /** kafkajs's SASL option, for a cluster that wants one. */
  readonly sasl?: { readonly mechanism: 'plain'; readonly username: string; readonly password: string }
}

export interface ServedCluster extends ClusterAddress {
  /** Why the cluster can no longer serve (one of its processes is gone), or undefined while it can. */
  failure(): string | undefined
  stop(): Promise<void>
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where this project's test processes ask for their cluster: GET {clusterService}/{process id}. */
    clusterService: string
  }
}

/** How long a file waits for a cluster's holder to exit before it fails. */
const HOLDER_GONE_MS = 120_000

interface Lease {
  readonly cluster: Promise<ServedCluster>
  holder: number
}

/** True while the process runs (a zombie counts as gone: it holds no connection). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Serves the project's test processes a cluster each, made by `start` when first needed. */
export async function serveClusterPerWorker(project: TestProject, start: () => Promise<ServedCluster>): Promise<() => Promise<void>> {
  const most = Math.max(1, Number(project.config.maxWorkers) || 1)
  const leases: Lease[] = []
  let lastStart: Promise<unknown> = Promise.resolve()
  /** The holder's cluster, a free one, or a new one while there are fewer than `most`; else undefined. */
  const leaseNow = (pid: number): Promise<ServedCluster> | undefined => {
    const held = leases.find((lease) => lease.holder === pid) ?? leases.find((lease) => !isAlive(lease.holder))
    if (held) {
      held.holder = pid
      return held.cluster
    }
    if (leases.length >= most) return undefined
    const cluster = lastStart.then(start)
    lastStart = cluster.catch(() => undefined)
    const lease: Lease = { cluster, holder: pid }
    leases.push(lease)
    cluster.catch(() => leases.splice(leases.indexOf(lease), 1))
    return cluster
  }
  const clusterOf = async (pid: number): Promise<ServedCluster> => {
    const deadline = Date.now() + HOLDER_GONE_MS
    for (;;) {
      const leased = leaseNow(pid)
      if (leased) return leased
      if (Date.now() > deadline)
        throw new Error(
          `every cluster is still held (by processes ${leases.map((lease) => lease.holder).join(', ')}) after ${HOLDER_GONE_MS} ms`,
        )
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
  const server = http.createServer((request, response) => {
    const pid = Number((request.url ?? '/').slice(1))
    if (!Number.isInteger(pid) || pid <= 0) {
      response.writeHead(400).end(`ask for a cluster as GET /{process id}, not ${request.url}`)
      return
    }
    clusterOf(pid)
      .then((cluster) => {
        const failure = cluster.failure()
        if (failure !== undefined) throw new Error(failure)
        response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ brokers: cluster.brokers, sasl: cluster.sasl } satisfies ClusterAddress))
      })
      .catch((error: unknown) => response.writeHead(500).end(error instanceof Error ? error.stack : String(error)))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  project.provide('clusterService', `http://127.0.0.1:${(server.address() as AddressInfo).port}`)
  return async () => {
    server.closeAllConnections()
    server.close()
    await Promise.all(leases.map(async (lease) => (await lease.cluster.catch(() => undefined))?.stop()))
  }
}
