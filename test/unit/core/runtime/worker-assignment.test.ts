import { describe, expect, it } from 'vitest'
import {
  assignRoundRobin,
  decodeWorkerAssignment,
  decodeWorkerMetadata,
  encodeWorkerAssignment,
  encodeWorkerMetadata,
} from '../../../../core/runtime/worker-assignment.ts'

describe('assignRoundRobin', () => {
  it('deals connectors, then every task, round the members sorted by worker id', () => {
    const members = new Map([
      ['m-c', 'w3'],
      ['m-a', 'w1'],
      ['m-b', 'w2'],
    ])
    const plan = assignRoundRobin(
      members,
      new Map([
        ['b', 2],
        ['a', 3],
      ]),
    )
    const workers = ['w1', 'w2', 'w3'] // every member learns who its peers are
    expect(Object.fromEntries(plan)).toEqual({
      'm-a': {
        connectors: ['a'],
        tasks: [
          { connector: 'a', task: 0 },
          { connector: 'b', task: 0 },
        ],
        workers,
      },
      'm-b': {
        connectors: ['b'],
        tasks: [
          { connector: 'a', task: 1 },
          { connector: 'b', task: 1 },
        ],
        workers,
      },
      'm-c': { connectors: [], tasks: [{ connector: 'a', task: 2 }], workers },
    })
    // The same input gives the same plan, whatever the order it comes in.
    expect(
      assignRoundRobin(
        new Map([...members].reverse()),
        new Map([
          ['a', 3],
          ['b', 2],
        ]),
      ),
    ).toEqual(plan)
  })

  it('gives every member an assignment, empty when there is nothing to run', () => {
    expect(Object.fromEntries(assignRoundRobin(new Map([['m', 'w']]), new Map()))).toEqual({
      m: { connectors: [], tasks: [], workers: ['w'] },
    })
    expect(assignRoundRobin(new Map(), new Map([['a', 1]])).size).toBe(0)
  })

  it('round-trips metadata and assignments; an empty assignment is no bytes', () => {
    expect(decodeWorkerMetadata(encodeWorkerMetadata({ workerId: 'h:1' }))).toEqual({ workerId: 'h:1' })
    const assignment = { connectors: ['a'], tasks: [{ connector: 'a', task: 0 }], workers: ['h:1', 'h:2'] }
    expect(decodeWorkerAssignment(encodeWorkerAssignment(assignment))).toEqual(assignment)
    expect(decodeWorkerAssignment(Buffer.alloc(0))).toEqual({ connectors: [], tasks: [], workers: [] })
  })
})
