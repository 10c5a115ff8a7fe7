import { describe, expect, it } from 'vitest'
import {
  assignorByName,
  rangeAssignor,
  roundRobinAssignor,
  type Assignment,
  type AssignorMember,
} from '../../../../../core/log/groups/assignors.ts'

const plain = (assignment: Assignment) =>
  Object.fromEntries([...assignment].map(([member, topics]) => [member, Object.fromEntries([...topics].map(([t, ps]) => [t, ps]))]))

describe('range assignor (Kafka RangeAssignorTest cases)', () => {
  it('gives every partition of one topic to a lone consumer', () => {
    const result = rangeAssignor.assign([{ memberId: 'c1', topics: ['t1'] }], new Map([['t1', 3]]))
    expect(plain(result)).toEqual({ c1: { t1: [0, 1, 2] } })
  })

  it('splits two topics of three partitions over two consumers, the first taking the extra', () => {
    const members = [
      { memberId: 'c2', topics: ['t1', 't2'] },
      { memberId: 'c1', topics: ['t1', 't2'] },
    ]
    const result = rangeAssignor.assign(
      members,
      new Map([
        ['t1', 3],
        ['t2', 3],
      ]),
    )
    expect(plain(result)).toEqual({ c1: { t1: [0, 1], t2: [0, 1] }, c2: { t1: [2], t2: [2] } })
  })

  it('assigns each topic only among its subscribers and leaves others empty', () => {
    const members = [
      { memberId: 'c1', topics: ['t1'] },
      { memberId: 'c2', topics: ['t1', 't2'] },
      { memberId: 'c3', topics: ['t3'] },
    ]
    const result = rangeAssignor.assign(
      members,
      new Map([
        ['t1', 3],
        ['t2', 2],
      ]),
    )
    expect(plain(result)).toEqual({ c1: { t1: [0, 1] }, c2: { t1: [2], t2: [0, 1] }, c3: {} })
  })

  it('orders static members by group.instance.id, ahead of dynamic ones', () => {
    const members: AssignorMember[] = [
      { memberId: 'a', groupInstanceId: 'z-instance', topics: ['t'] },
      { memberId: 'b', groupInstanceId: 'a-instance', topics: ['t'] },
      { memberId: '0', topics: ['t'] },
    ]
    expect(plain(rangeAssignor.assign(members, new Map([['t', 3]])))).toEqual({ b: { t: [0] }, a: { t: [1] }, 0: { t: [2] } })
  })
})

describe('round-robin assignor (Kafka RoundRobinAssignorTest cases)', () => {
  it('deals partitions of all topics in turn', () => {
    const members = [
      { memberId: 'c1', topics: ['t1', 't2'] },
      { memberId: 'c2', topics: ['t1', 't2'] },
    ]
    const result = roundRobinAssignor.assign(
      members,
      new Map([
        ['t1', 3],
        ['t2', 3],
      ]),
    )
    expect(plain(result)).toEqual({ c1: { t1: [0, 2], t2: [1] }, c2: { t1: [1], t2: [0, 2] } })
  })

  it('skips members not subscribed to a topic', () => {
    const members = [
      { memberId: 'c1', topics: ['t1'] },
      { memberId: 'c2', topics: ['t1', 't2'] },
      { memberId: 'c3', topics: ['t1', 't2', 't3'] },
    ]
    const result = roundRobinAssignor.assign(
      members,
      new Map([
        ['t1', 1],
        ['t2', 2],
        ['t3', 3],
      ]),
    )
    expect(plain(result)).toEqual({ c1: { t1: [0] }, c2: { t2: [0] }, c3: { t2: [1], t3: [0, 1, 2] } })
  })
})

describe('both assignors', () => {
  it.each([rangeAssignor, roundRobinAssignor])('$name assigns every partition exactly once, balanced', (assignor) => {
    for (let members = 1; members <= 7; members++) {
      for (let partitions = 0; partitions <= 12; partitions++) {
        const group = Array.from({ length: members }, (_, i) => ({ memberId: `m${i}`, topics: ['t'] }))
        const result = assignor.assign(group, new Map([['t', partitions]]))
        const all = [...result.values()].flatMap((topics) => topics.get('t') ?? [])
        expect(all.sort((a, b) => a - b)).toEqual(Array.from({ length: partitions }, (_, i) => i))
        const sizes = [...result.values()].map((topics) => (topics.get('t') ?? []).length)
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1)
        expect(result.size).toBe(members)
      }
    }
  })

  it('are found by their Kafka names', () => {
    expect(assignorByName('range')).toBe(rangeAssignor)
    expect(assignorByName('roundrobin')).toBe(roundRobinAssignor)
    expect(assignorByName('sticky')).toBeUndefined()
  })
})
