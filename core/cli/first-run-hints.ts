/**
 * What `tributary run` prints once the worker is up, so a newcomer sees where to look: the
 * dashboard, a curl line for each webhook on the REST port, and the file each file sink writes.
 * Secrets are never printed: a token shows as the environment variable that would hold it.
 */
import path from 'node:path'

export interface HintedConnector {
  readonly name: string
  /** The plugin's own name, aliases resolved. */
  readonly plugin: string | undefined
  readonly config: Readonly<Record<string, string>>
}

export function firstRunHints(restUrl: string, restTokenSet: boolean, connectors: readonly HintedConnector[]): string[] {
  const hints = [`Dashboard on ${restUrl}/ui/`]
  for (const connector of connectors) {
    const config = connector.config
    if (connector.plugin === 'http-source' && config.mode !== 'poll' && config['listen.port'] === undefined) {
      const auth =
        config['auth.token'] !== undefined
          ? ` -H "authorization: Bearer <${connector.name}'s auth.token>"`
          : restTokenSet
            ? ' -H "authorization: Bearer $TRIBUTARY_REST_AUTH_TOKEN"'
            : ''
      hints.push(
        `Send a record to ${connector.name}: curl -X POST ${restUrl}/ingest/${encodeURIComponent(connector.name)} -H 'content-type: application/json'${auth} -d '{"hello":"world"}'`,
      )
    }
    if (connector.plugin === 'file-sink' && config.file !== undefined)
      hints.push(`${connector.name} writes to ${path.resolve(config.file)}`)
  }
  return hints
}
