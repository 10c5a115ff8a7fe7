/**
 * A TCP port that is free on loopback, for a server another process will bind a moment later.
 *
 * Asking the OS for port 0 and releasing it races: that port is in the ephemeral range, so any
 * outgoing connection on the machine may take it before the server binds. Ports here come from
 * below the ephemeral range (which starts at 32768 on Linux), each vitest worker its own slice, so
 * only a server started by the same test file could collide, and the probe bind rules out one that
 * is already listening.
 */
import net from 'node:net'

const FIRST = 20_000
const SLICE = 1_000
const SLICES = 12

// VITEST_WORKER_ID, not VITEST_POOL_ID: two files running side by side may share a pool id (see
// cluster-per-worker-service.ts); worker ids count up, one per file.
// Slice 0 is the main process's (a globalSetup's clusters), the others go round the test files.
const worker = process.env.VITEST_WORKER_ID
const base = FIRST + (worker === undefined ? 0 : 1 + (Number(worker) % (SLICES - 1))) * SLICE
let next = Math.floor(Math.random() * SLICE)

export async function freePort(): Promise<number> {
  for (let tries = 0; tries < SLICE; tries++) {
    const port = base + (next++ % SLICE)
    if (await bindable(port)) return port
  }
  throw new Error(`no free port in ${base}..${base + SLICE - 1} on 127.0.0.1`)
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer()
    server.once('error', () => resolve(false))
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)))
  })
}
