/**
 * The registry seam's suite on the registry kept in `_schemas` of the embedded log, and on the same
 * registry through its HTTP server and the HTTP client.
 */
import path from 'node:path'
import { startApi, type RunningApi } from '../../../core/api/server.ts'
import { createLogger } from '../../../core/logger.ts'
import { EmbeddedLog } from '../../../core/log/embedded-log.ts'
import { schemaFormats } from '../../../core/registry/formats/index.ts'
import { createRegistryApp } from '../../../core/registry/http/registry-server.ts'
import { RegistryClient } from '../../../core/registry/registry-client.ts'
import { StoredRegistry } from '../../../core/registry/stored-registry.ts'
import { runRegistrySuite, type RegistryUnderTest } from '../../support/registry-suite.ts'
import { makeTempDir } from '../../support/temp-dir.ts'

async function stored(): Promise<RegistryUnderTest & { log: () => EmbeddedLog }> {
  const dir = await makeTempDir('tributary-registry-')
  let log = await EmbeddedLog.open({ dataDir: path.join(dir.path, 'data') })
  return {
    registry: await StoredRegistry.open(log, { formats: schemaFormats }),
    log: () => log,
    async restart() {
      await log.close()
      log = await EmbeddedLog.open({ dataDir: path.join(dir.path, 'data') })
      return StoredRegistry.open(log, { formats: schemaFormats })
    },
    async cleanup() {
      await log.close()
      await dir.remove()
    },
  }
}

async function serve(registry: StoredRegistry): Promise<RunningApi> {
  return startApi(createRegistryApp({ registry, logger: createLogger('schema-registry') }), 0, '127.0.0.1')
}

runRegistrySuite('StoredRegistry on the embedded log', stored)

runRegistrySuite("RegistryClient to the registry's HTTP server", async () => {
  const inner = await stored()
  let server = await serve(inner.registry as StoredRegistry)
  const client = () => new RegistryClient({ url: `http://127.0.0.1:${server.port}` })
  return {
    registry: client(),
    async restart() {
      await server.close()
      server = await serve((await inner.restart()) as StoredRegistry)
      return client()
    },
    async cleanup() {
      await server.close()
      await inner.cleanup()
    },
  }
})
