/**
 * A fixed stream of batches for the transaction crash test, one record each, so batch i lands at
 * offset i: producers 1-3 take turns with plain (non-transactional) batches; every sixth turn of a
 * producer ends its transaction, committing or aborting by a rule that mixes both. `expectedAfter`
 * works out, independently of the log, what the first n batches leave behind.
 */
import { plainData, txnData, txnMarker } from './txn-batches.ts'

type Step = { readonly kind: 'plain' } | { readonly kind: 'data' | 'commit' | 'abort'; readonly producerId: number }

export function scriptStep(i: number): Step {
  const producerId = 1 + (i % 4)
  if (producerId === 4) return { kind: 'plain' }
  const turn = Math.floor(i / 4)
  if (turn % 6 !== 5) return { kind: 'data', producerId }
  return { kind: (Math.floor(turn / 6) + producerId) % 2 === 0 ? 'abort' : 'commit', producerId }
}

export function scriptBatch(i: number): Buffer {
  const step = scriptStep(i)
  if (step.kind === 'plain') return plainData([`v${i}`])
  return step.kind === 'data' ? txnData(step.producerId, [`v${i}`]) : txnMarker(step.producerId, step.kind)
}

export interface ExpectedTxnState {
  readonly open: Array<[number, number]>
  readonly lastStableOffset: number
  readonly aborted: Array<{ producerId: number; firstOffset: number; lastOffset: number; lastStableOffset: number }>
  /** Offsets of the records a read_committed reader sees. */
  readonly committed: number[]
}

export function expectedAfter(n: number): ExpectedTxnState {
  const open = new Map<number, number>()
  const members = new Map<number, number[]>()
  const aborted: ExpectedTxnState['aborted'] = []
  const kept: number[] = []
  for (let i = 0; i < n; i++) {
    const step = scriptStep(i)
    if (step.kind === 'plain') {
      kept.push(i)
    } else if (step.kind === 'data') {
      if (!open.has(step.producerId)) open.set(step.producerId, i)
      members.set(step.producerId, [...(members.get(step.producerId) ?? []), i])
    } else if (open.has(step.producerId)) {
      const firstOffset = open.get(step.producerId)!
      open.delete(step.producerId)
      const others = [...open.values()]
      if (step.kind === 'abort')
        aborted.push({
          producerId: step.producerId,
          firstOffset,
          lastOffset: i,
          lastStableOffset: others.length > 0 ? Math.min(...others) : i + 1,
        })
      else kept.push(...members.get(step.producerId)!)
      members.delete(step.producerId)
    }
  }
  const lastStableOffset = open.size > 0 ? Math.min(...open.values()) : n
  return { open: [...open], lastStableOffset, aborted, committed: kept.filter((offset) => offset < lastStableOffset).sort((a, b) => a - b) }
}
