/** A real HTTP server on loopback for the HTTP connector tests, recording what it was sent. */
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ReceivedRequest {
  readonly method: string
  readonly url: string
  readonly headers: http.IncomingHttpHeaders
  readonly body: string
  /** The body parsed as JSON, or undefined. */
  readonly json: unknown
}

export interface Endpoint {
  readonly url: string
  readonly requests: ReceivedRequest[]
  /** Resolves when the endpoint has received `count` requests in all. */
  received(count: number): Promise<void>
  close(): Promise<void>
}

export type Answer = (request: ReceivedRequest, res: http.ServerResponse) => void

export async function startEndpoint(answer: Answer): Promise<Endpoint> {
  const requests: ReceivedRequest[] = []
  const waiters: Array<{ count: number; resolve: () => void }> = []
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      let json: unknown
      try {
        json = JSON.parse(body) as unknown
      } catch {
        json = undefined
      }
      const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, json }
      requests.push(request)
      answer(request, res)
      for (const waiter of waiters.filter((w) => requests.length >= w.count)) waiter.resolve()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/items`,
    requests,
    received: (count) => (requests.length >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve }))),
    close: () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeAllConnections()
      return closed
    },
  }
}

export function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body))
}
