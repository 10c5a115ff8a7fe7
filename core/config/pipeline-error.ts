/** Every problem found in the pipeline files, each as `file:line:col path: message`, thrown at once. */
import { TributaryError } from '../errors.ts'

export interface PipelineProblem {
  readonly file: string
  readonly line: number
  readonly column: number
  /** The key path in the file, e.g. `sources[0].with.url`. */
  readonly path: string
  readonly message: string
}

export function formatProblem(problem: PipelineProblem): string {
  return `${problem.file}:${problem.line}:${problem.column} ${problem.path || '(file)'}: ${problem.message}`
}

export class PipelineError extends TributaryError {
  readonly problems: readonly PipelineProblem[]

  constructor(problems: readonly PipelineProblem[]) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`
    super('TRB_PIPELINE_INVALID', `pipeline files have ${count}:\n${problems.map(formatProblem).join('\n')}`, { details: { problems } })
    this.name = 'PipelineError'
    this.problems = problems
  }
}
