/** The worker thread's entry (worker-thread.ts): `tributary run` with the arguments it was given. */
import { workerData } from 'node:worker_threads'
import { exitWithError } from './report-error.ts'
import { runCommand } from './run-command.ts'
import type { ModuleThreadData } from '../runtime/module-thread.ts'
import type { RunThreadData } from './worker-thread.ts'

const { args, version } = (workerData as ModuleThreadData<RunThreadData>).data
await runCommand(args, version).catch(exitWithError)
