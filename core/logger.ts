/**
 * Structured logging (pino). One root logger; modules take a child named after themselves.
 * Level from TRIBUTARY_LOG_LEVEL (default info); silent under the test runner unless asked for.
 * Nothing secret is written: values of keys named like secrets are hidden, and passwords inside URLs,
 * `password=` parameters and quoted credentials are masked in messages, fields and errors (a
 * driver's error may quote its connection string).
 */
import { pino, type Logger } from 'pino'
import { maskDeep, maskText } from './secrets.ts'

export type { Logger }

const underTest = process.env.VITEST !== undefined || process.env.NODE_ENV === 'test'

const root: Logger = pino({
  name: 'tributary',
  level: process.env.TRIBUTARY_LOG_LEVEL ?? (underTest ? 'silent' : 'info'),
  serializers: { err: (error: Error) => maskDeep({ ...pino.stdSerializers.err(error) }) },
  formatters: { log: (fields) => maskDeep(fields) as Record<string, unknown> },
  hooks: {
    logMethod(args, method) {
      method.apply(this, args.map((arg) => (typeof arg === 'string' ? maskText(arg) : arg)) as Parameters<typeof method>)
    },
  },
})

export function createLogger(name: string): Logger {
  return root.child({ module: name })
}
