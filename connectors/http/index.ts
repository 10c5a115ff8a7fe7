import { httpSink } from './sink.ts'
import { httpSource } from './source.ts'

export const httpPlugins = [httpSource, httpSink] as const
