import { fileSink } from './sink.ts'
import { fileSource } from './source.ts'

export const filePlugins = [fileSource, fileSink] as const
