/**
 * The text of `tributary --help`: every command and every flag their parsers accept (a test checks
 * that the two agree).
 */
export const USAGE = `Usage: tributary <command> [options]

Commands:
  run                      start a worker: the embedded log, the connectors, the REST API
  validate [path]          check pipeline files (a file or a directory; default ./config);
                           --plugin-path as for run, for files that name plugins loaded from it
  plan [path]              show what applying the pipeline files would change on the running worker
  reload                   make the running worker apply its pipeline files (as SIGHUP does)
  status                   every connector: state, tasks, records/s, records, sink lag, errors,
                           failed tasks' errors and snapshot progress (--sample-ms N, default 1000;
                           --follow: then draw running snapshots until they end, exit 1 if one fails)
  connectors list|status|pause|resume|stop|restart|delete [name]
  topics list|describe|create|consume|produce [topic]
  groups list|describe [group]
  dlq replay <topic>       send dead-lettered records back to the topics they came from
  schemas list|get|register|check|delete [subject] [version|file]
                           a Schema Registry's subjects (the worker's built-in one, or any
                           Confluent-compatible registry; see Options for schemas)
  users add|remove|list [name] --file FILE
                           the Kafka listener's SASL users (SCRAM-SHA-256/512 and PLAIN), kept
                           salted in FILE (env TRIBUTARY_KAFKA_USERS_FILE); the password is read
                           from stdin; --iterations N (default 4096)

Options for run:
  --config DIR             pipeline directory (env TRIBUTARY_CONFIG_DIR, default ./config)
  --data-dir DIR           where the log keeps its data (env TRIBUTARY_DATA_DIR, default ./data)
  --plugin-path PATH[,…]   connector plugins to load beside the built-in ones: module files,
                           package directories, or directories of either (env TRIBUTARY_PLUGIN_PATH)
  --rest-host HOST         REST API address (env TRIBUTARY_REST_HOST, default 127.0.0.1)
  --rest-port PORT         REST API port, 0 for any free one (env TRIBUTARY_REST_PORT, default 8083)
  --rest-advertised-address HOST:PORT
                           where the group's other workers reach this one's REST API (env
                           TRIBUTARY_REST_ADVERTISED_ADDRESS, default: --rest-host, or the machine's
                           host name when that is 0.0.0.0 or ::, and the bound port)
  --log-brokers HOST:PORT[,…]
                           keep topics on a Kafka cluster instead of the data directory
                           (env TRIBUTARY_LOG_BROKERS; SASL/PLAIN: env TRIBUTARY_LOG_SASL_PLAIN=user:password)
  --group-id ID            distributed mode: join worker group ID on the log's coordinator and run
                           only this worker's share of the connectors' tasks (env TRIBUTARY_GROUP_ID;
                           env TRIBUTARY_GROUP_SESSION_TIMEOUT_MS, default 10000)
  --storage-topic-prefix PREFIX
                           names the internal topics PREFIXconfigs, PREFIXoffsets, PREFIXstatus and
                           PREFIXschemas, so worker groups can share a Kafka cluster: _tributary-<name>-
                           (env TRIBUTARY_STORAGE_TOPIC_PREFIX, default _tributary-: _tributary-configs, …, _schemas)
  --kafka-host HOST        Kafka protocol listener address (env TRIBUTARY_KAFKA_HOST, default 127.0.0.1)
  --kafka-port PORT        Kafka protocol port, 0 to disable (env TRIBUTARY_KAFKA_PORT, default 9092)
  --schema-registry-port PORT
                           the Schema Registry's port, on the REST host with its TLS and token; 0 to
                           disable (env TRIBUTARY_SCHEMA_REGISTRY_PORT, default 8081)
  --kafka-advertised-address HOST:PORT
                           where Kafka clients are told to connect, behind a proxy or port mapping
                           (env TRIBUTARY_KAFKA_ADVERTISED_ADDRESS, default: the address they used)
  --rest-auth-token TOKEN  require Authorization: Bearer TOKEN (env TRIBUTARY_REST_AUTH_TOKEN)
  --kafka-users-file FILE  the Kafka listener's SASL users (made by tributary users add; env
                           TRIBUTARY_KAFKA_USERS_FILE); also env TRIBUTARY_KAFKA_SASL_PLAIN_USERS
                           (user:password,…); none: no Kafka authentication
  --tls-cert FILE --tls-key FILE
                           serve the REST API and the Kafka listener over TLS (PEM files; env
                           TRIBUTARY_TLS_CERT, TRIBUTARY_TLS_KEY)
  --tls-client-ca FILE     mutual TLS: clients must present a certificate this CA signed
                           (env TRIBUTARY_TLS_CLIENT_CA)
  --rest-allowed-hosts NAME[,…]
                           names clients may reach the REST API by besides its own (loopback, the
                           bound and advertised addresses); * for any (env TRIBUTARY_REST_ALLOWED_HOSTS)
  --file-allowed-paths DIR[,…]
                           directories file connectors may read and write (env
                           TRIBUTARY_FILE_ALLOWED_PATHS, default: --data-dir and the working directory)
  --connect-allowed-hosts CIDR|NAME[,…]
                           hosts HTTP and database connectors may reach (env
                           TRIBUTARY_CONNECT_ALLOWED_HOSTS, default: any host)
  --env-allowlist PATTERN  the environment variables \${VAR} in pipeline files may read, a pattern the
                           whole name matches (env TRIBUTARY_ENV_ALLOWLIST, default: any but the
                           worker's own credentials)
  --insecure-no-auth       start on a non-loopback address without a REST token or Kafka SASL users
                           (env TRIBUTARY_INSECURE_NO_AUTH=true); logs a warning
  --heap-max-mb N          the worker runs in a thread whose JS heap is capped at N MB, as a JVM's
                           -Xmx caps Kafka Connect (env TRIBUTARY_HEAP_MAX_MB, default 1024, or
                           three quarters of a smaller memory limit such as a container's);
                           0: no cap, on the main thread

Options for the commands that talk to a worker:
  --url URL                the worker's REST API (env TRIBUTARY_URL, default http://127.0.0.1:8083;
                           for https with a private CA, env NODE_EXTRA_CA_CERTS=ca.pem)
  --token TOKEN            bearer token (env TRIBUTARY_REST_AUTH_TOKEN)
  --json                   print JSON instead of tables
  topics create: --partitions N; consume: --partition P --offset earliest|latest|N --limit N --follow
  topics produce: --key K --value V (or one record per line on stdin)
  connectors restart: --only-failed (only FAILED tasks), --connector-only (not its tasks)

Options for schemas:
  --registry URL           the Schema Registry (env TRIBUTARY_SCHEMA_REGISTRY_URL, default
                           http://127.0.0.1:8081); --token and --json as above
  list                     subjects; --deleted (also soft-deleted ones), --prefix P
  get SUBJECT [VERSION]    a version (default latest): id, version, type, the schema pretty-printed;
                           get --id ID: the schema of a global id and the subject versions holding it
  register SUBJECT FILE    register the schema in FILE and print its id; --type AVRO|JSON|PROTOBUF
                           (default from the extension: .avsc, .json, .proto), --normalize
  check SUBJECT FILE       print compatible, or the problems and exit 1; --version V (default: the
                           versions the subject's compatibility level looks at), --type as for register
  delete SUBJECT [VERSION] soft-delete a version or the whole subject; --permanent (after a soft delete)

Exit codes: 0 ok, 1 failed, 2 bad command line, 3 worker unreachable, 4 not found.
  -h, --help               show this help
  -v, --version            show the version
`
