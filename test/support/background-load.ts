/** Runs a write step over and over in the background until stopped, for tests that kill a worker under load. */
export interface BackgroundLoad {
  /** Ends the loop after the current step; resolves with the number of steps done. */
  stop(): Promise<number>
}

export function backgroundLoad(open: () => Promise<{ step: () => Promise<void>; close: () => Promise<void> }>): BackgroundLoad {
  let running = true
  let done = 0
  const loop = (async () => {
    const writer = await open()
    while (running) {
      await writer.step()
      done++
    }
    await writer.close()
  })()
  return {
    async stop() {
      running = false
      await loop
      return done
    },
  }
}
