/**
 * The import rules `npm run lint:deps` checks (part of `npm test`): no import cycles, and imports
 * only downwards through the layers of docs/architecture.md, so a reader can learn the code bottom-up.
 *
 * Layers, from the bottom (each may import itself and the layers listed after its arrow):
 *   base        errors, clock, logger, secrets, json-depth, tls-settings, cleanup-stack, byte-reader
 *               → nothing
 *   log         the embedded engine and the Log seam → base ("knows nothing of runtime or kafka/")
 *   protocol    Kafka's codecs, no I/O → base, log (a RecordBatch is the log's own format)
 *   kafka       the listener (server/) and KafkaLog, both on the Log seam → base, log, protocol
 *   registry    the schema registry's store and formats, kept in a log topic → base, log
 *   runtime     worker, tasks, stores, transforms, converters → base, log, registry; never kafka/:
 *               "the runtime talks to a Log interface, never to the engine or kafkajs directly"
 *   testing     the plugin authors' test helpers (`tributary/testing`) → base, runtime
 *   api         the REST API, and the registry's own REST server → base, log, registry, runtime
 *   config      YAML pipelines → base, log, registry, runtime, api
 *   connectors  → core/runtime/plugin.ts only ("the only module connectors import"), and each
 *               other's shared parts (cdc-envelope/, sql-sink/)
 *   top         the CLI (cli.ts, cli/), the composition root (worker/: run-worker.ts,
 *               pipeline-manager.ts) and the settings (core/*.ts that is not base) → anything,
 *               connectors/index.ts included
 * Of the log, only the listener and the composition root open the engine itself (embedded-log.ts);
 * everything else holds the Log interface. Every file of core/ and connectors/ is in a layer, so a
 * new folder has to be placed before it can import anything.
 *
 * Type-only imports count, for cycles and layers alike: tsc erases them, but a reader still has to
 * read the imported file to understand the importing one, and a cycle of types is a knot the code
 * cannot be learnt through from either end. The layer order makes no exception for types. Where two files
 * need each other's types, the type moves to where it belongs or a narrow interface takes the
 * concrete class's place (as ClassicGroupConsumer takes a GroupLog, not an EmbeddedLog).
 */

const BASE_FILES = '(errors|clock|logger|secrets|json-depth|tls-settings|cleanup-stack|byte-reader)\\.ts$'

/** Each layer's files (the patterns do not overlap) and the layers it may import besides itself. */
const layers = {
  base: { path: `^core/${BASE_FILES}`, may: [] },
  log: { path: '^core/log/', may: ['base'] },
  protocol: { path: '^core/kafka/protocol/', may: ['base', 'log'] },
  kafka: { path: '^core/kafka/(?!protocol/)', may: ['base', 'log', 'protocol'] },
  registry: { path: '^core/registry/(?!http/)', may: ['base', 'log'] },
  runtime: { path: '^core/runtime/', may: ['base', 'log', 'registry'] },
  testing: { path: '^core/testing/', may: ['base', 'runtime'] },
  api: { path: '^core/(api|registry/http)/', may: ['base', 'log', 'registry', 'runtime'] },
  config: { path: '^core/config/', may: ['base', 'log', 'registry', 'runtime', 'api'] },
  top: { path: `^core/(cli/|worker/|(?!${BASE_FILES})[^/]+\\.ts$)` },
}

const SOURCE = '^(core|connectors)/'

/** A layer imports nothing of core/ or connectors/ outside itself and the layers it may import. */
const layerRules = Object.entries(layers)
  .filter(([, layer]) => layer.may !== undefined)
  .map(([name, layer]) => ({
    name: `${name}-imports-downwards`,
    comment: `${name} may import ${[name, ...layer.may].join(', ')} (the layer list above)`,
    severity: 'error',
    from: { path: layer.path },
    to: { path: SOURCE, pathNot: [name, ...layer.may].map((allowed) => layers[allowed].path) },
  }))

export default {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A cycle, type-only imports included, has no end a reader can start from.',
      severity: 'error',
      from: { path: SOURCE },
      to: { circular: true },
    },
    {
      name: 'connectors-use-the-plugin-api',
      comment: 'A connector imports core/runtime/plugin.ts and nothing else of core/.',
      severity: 'error',
      from: { path: '^connectors/' },
      to: { path: '^core/', pathNot: '^core/runtime/plugin\\.ts$' },
    },
    {
      name: 'only-the-listener-opens-the-engine',
      comment: "The runtime, the API and the rest hold the Log interface; the engine is the listener's and the composition root's.",
      severity: 'error',
      from: { path: SOURCE, pathNot: [layers.log.path, '^core/kafka/server/', layers.top.path] },
      to: { path: '^core/log/embedded-log\\.ts$' },
    },
    {
      name: 'in-a-layer',
      comment: 'Every file of core/ and connectors/ belongs to a layer of the list above.',
      severity: 'error',
      from: { path: SOURCE, pathNot: ['^connectors/', ...Object.values(layers).map((layer) => layer.path)] },
      to: {},
    },
    ...layerRules,
  ],
  options: {
    includeOnly: SOURCE,
    tsConfig: { fileName: 'tsconfig.json' },
    // Type-only imports are dependencies too (see above).
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
  },
}
