// A worker thread started from the TypeScript sources (development, tests): tsx first, then the module.
import { workerData } from 'node:worker_threads'

const { register } = await import('tsx/esm/api')
register()
await import(workerData.module)
