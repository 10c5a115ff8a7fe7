/**
 * Structured logging (pino). One root logger; modules take a child named after themselves.
 * Level from TRIBUTARY_LOG_LEVEL (default info); silent under the test runner unless asked for.
 */
import { pino, type Logger } from 'pino'

export type { Logger }

const underTest = process.env.VITEST !== undefined || process.env.NODE_ENV === 'test'

const root: Logger = pino({
  name: 'tributary',
  level: process.env.TRIBUTARY_LOG_LEVEL ?? (underTest ? 'silent' : 'info'),
})

export function createLogger(name: string): Logger {
  return root.child({ module: name })
}
