/**
 * "On close, undo in reverse order": each thing a process opens (a log, a worker, a listener) pushes
 * how to close it, so a start that fails halfway and a stop that comes later close exactly what is
 * open, last opened first, from one list instead of a shutdown sequence written out at each exit.
 */
export type Undo = () => Promise<unknown> | unknown

export class CleanupStack {
  private readonly undos: Undo[] = []
  private closing: Promise<void> | undefined

  /** Runs `undo` when the stack closes, before everything deferred earlier. */
  defer(undo: Undo): void {
    this.undos.push(undo)
  }

  /**
   * Runs the undos, last deferred first, each once it is the only one left running. Idempotent: a
   * second call waits for the first. An undo that throws stops the rest, and its error is thrown.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      for (let undo = this.undos.pop(); undo !== undefined; undo = this.undos.pop()) await undo()
    })()
    return this.closing
  }

  /** Runs `step`; if it throws, closes what is open so far and throws its error. */
  async unwindOnError<T>(step: () => Promise<T>): Promise<T> {
    try {
      return await step()
    } catch (error) {
      await this.close()
      throw error
    }
  }
}
