/**
 * The globalSetup half of "one Kafka cluster per test worker" (the projects on-kafka and real-kafka):
 * a loopback HTTP service, its URL handed to the project's tests by `inject('clusterService')`,
 * where a test worker asks for its cluster by VITEST_POOL_ID (test/support/cluster-of-worker.ts).
 * A cluster starts on the first request for it, not with the run: vitest runs every selected
 * project's globalSetup before the first file of any project, so clusters started there would idle,
 * holding memory and cores, while the other projects' files run. Starts go one at a time (the
 * three JVMs of a real cluster starting already fill two cores); a failed start is tried again at
 * the next request. A cluster that has died since it started is not handed out: the asking test
 * fails with what went wrong. The run's end stops them all.
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
    /** Where this project's test workers ask for their cluster: GET {clusterService}/{VITEST_POOL_ID}. */
    clusterService: string
  }
}

/** Serves the project's tests a cluster per test worker, each made by `start` when first asked for. */
export async function serveClusterPerWorker(project: TestProject, start: () => Promise<ServedCluster>): Promise<() => Promise<void>> {
  const clusters = new Map<string, Promise<ServedCluster>>()
  let lastStart: Promise<unknown> = Promise.resolve()
  const clusterOf = (pool: string): Promise<ServedCluster> => {
    const known = clusters.get(pool)
    if (known) return known
    const started = lastStart.then(start)
    lastStart = started.catch(() => undefined)
    clusters.set(pool, started)
    started.catch(() => clusters.get(pool) === started && clusters.delete(pool))
    return started
  }
  const server = http.createServer((request, response) => {
    const pool = (request.url ?? '/').slice(1)
    clusterOf(pool)
      .then((cluster) => {
        const failure = cluster.failure()
        if (failure !== undefined) throw new Error(failure)
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ brokers: cluster.brokers, sasl: cluster.sasl } satisfies ClusterAddress))
      })
      .catch((error: unknown) => response.writeHead(500).end(error instanceof Error ? error.stack : String(error)))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  project.provide('clusterService', `http://127.0.0.1:${(server.address() as AddressInfo).port}`)
  return async () => {
    server.closeAllConnections()
    server.close()
    await Promise.all([...clusters.values()].map(async (cluster) => (await cluster.catch(() => undefined))?.stop()))
  }
}
