/**
 * The CLI's client for a running worker's REST API (`--url`, env TRIBUTARY_URL, default
 * http://127.0.0.1:8083; `--token` or TRIBUTARY_REST_AUTH_TOKEN for bearer auth). An error body
 * becomes a CliError carrying the worker's message.
 */
import { CliError, EXIT } from './cli-error.ts'

export interface RestClient {
  request<T = unknown>(method: string, path: string, body?: unknown): Promise<T>
}

export function restClient(url: string | undefined, token: string | undefined): RestClient {
  const base = (url ?? process.env.TRIBUTARY_URL ?? 'http://127.0.0.1:8083').replace(/\/$/, '')
  const auth = token ?? process.env.TRIBUTARY_REST_AUTH_TOKEN
  return {
    async request<T>(method: string, path: string, body?: unknown): Promise<T> {
      let response: Response
      try {
        response = await fetch(`${base}${path}`, {
          method,
          headers: {
            ...(body !== undefined && { 'content-type': 'application/json' }),
            ...(auth !== undefined && { authorization: `Bearer ${auth}` }),
          },
          ...(body !== undefined && { body: JSON.stringify(body) }),
        })
      } catch (error) {
        throw new CliError(
          `cannot reach the worker at ${base}: ${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message}`,
          EXIT.unreachable,
        )
      }
      const text = await response.text()
      const parsed = text.length > 0 ? (JSON.parse(text) as unknown) : undefined
      if (!response.ok) {
        const message = (parsed as { message?: string } | undefined)?.message ?? `HTTP ${response.status}`
        throw new CliError(message, response.status === 404 ? EXIT.notFound : EXIT.failure)
      }
      return parsed as T
    },
  }
}
