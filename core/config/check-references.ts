/**
 * The checks that span entries of one pipeline: ids unique (they name connectors), transform ids
 * unique and every referenced one declared, the dead-letter settings consistent. They read the raw
 * file, not the schema's output, so they still run where an entry failed its schema.
 */
import type { ReportProblem } from './flatten-with.ts'
import { pathText, type KeyPath } from './yaml-locate.ts'

export function checkReferences(raw: Readonly<Record<string, unknown>>, report: ReportProblem): void {
  const declared = new Map<string, number>()
  items(raw.transforms).forEach((item, index) => {
    const id = text(field(item, 'id'))
    if (id === undefined) return
    const other = declared.get(id)
    if (other !== undefined) report(['transforms', index, 'id'], `"${id}" is also the id of transforms[${other}]`)
    else declared.set(id, index)
  })

  const ids = new Map<string, KeyPath>()
  for (const section of ['sources', 'sinks'] as const) {
    items(raw[section]).forEach((item, index) => {
      const at: KeyPath = [section, index]
      const id = text(field(item, 'id'))
      const other = id === undefined ? undefined : ids.get(id)
      if (id !== undefined && other !== undefined) {
        report(
          [...at, 'id'],
          `"${id}" is also the id of ${pathText(other)}; ids name connectors (${text(raw.pipeline) ?? '<pipeline>'}.${id}) and must be unique`,
        )
      } else if (id !== undefined) ids.set(id, at)
      const chain = items(field(item, 'transforms'))
      chain.forEach((reference, position) => {
        const transformId = text(reference)
        if (transformId === undefined) return // the schema reports it
        if (chain.indexOf(reference) !== position) report([...at, 'transforms', position], `"${transformId}" is listed twice`)
        else if (!declared.has(transformId))
          report([...at, 'transforms', position], `no transform with id "${transformId}" under transforms:`)
      })
    })
  }

  const deadLetterTopic = text(field(raw.dead_letter, 'topic'))
  if (deadLetterTopic !== undefined && text(field(raw.errors, 'tolerance')) === 'none') {
    report(
      ['errors', 'tolerance'],
      `conflicts with dead_letter, which sends failed records to ${deadLetterTopic} (errors.tolerance=all); keep one`,
    )
  }
  if (deadLetterTopic !== undefined && deadLetterTopic === text(field(raw.topic, 'name'))) {
    report(['dead_letter', 'topic'], 'must differ from topic.name, or failed records would flow back into the pipeline')
  }
}

function items(value: unknown): unknown[] {
  return Array.isArray(value) ? value : []
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}
