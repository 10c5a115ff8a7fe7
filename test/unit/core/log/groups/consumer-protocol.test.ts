import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import {
  decodeAssignment,
  decodeSubscription,
  encodeAssignment,
  encodeSubscription,
} from '../../../../../core/log/groups/consumer-protocol.ts'

const require = createRequire(import.meta.url)
const { AssignerProtocol } = require('kafkajs') as {
  AssignerProtocol: {
    MemberMetadata: {
      encode(v: { version: number; topics: string[]; userData?: Buffer }): Buffer
      decode(b: Buffer): { topics: string[]; userData: Buffer }
    }
    MemberAssignment: {
      encode(v: { version: number; assignment: Record<string, number[]>; userData?: Buffer }): Buffer
      decode(b: Buffer): { assignment: Record<string, number[]> }
    }
  }
}

describe("Kafka's consumer protocol payloads", () => {
  it('encode subscriptions as kafkajs does, and decode kafkajs ones', () => {
    const ours = encodeSubscription({ topics: ['orders', 'payments'], userData: Buffer.alloc(0) })
    const theirs = AssignerProtocol.MemberMetadata.encode({ version: 0, topics: ['orders', 'payments'], userData: Buffer.alloc(0) })
    expect(ours.toString('hex')).toBe(theirs.toString('hex'))
    expect(decodeSubscription(theirs).topics).toEqual(['orders', 'payments'])
    expect(AssignerProtocol.MemberMetadata.decode(ours).topics).toEqual(['orders', 'payments'])
  })

  it('encode assignments as kafkajs does, and decode kafkajs ones', () => {
    const assignment = new Map([
      ['orders', [0, 2]],
      ['payments', [1]],
    ])
    const ours = encodeAssignment(assignment, Buffer.alloc(0))
    const theirs = AssignerProtocol.MemberAssignment.encode({
      version: 0,
      assignment: { orders: [0, 2], payments: [1] },
      userData: Buffer.alloc(0),
    })
    expect(ours.toString('hex')).toBe(theirs.toString('hex'))
    expect(decodeAssignment(theirs)).toEqual(assignment)
    expect(AssignerProtocol.MemberAssignment.decode(ours).assignment).toEqual({ orders: [0, 2], payments: [1] })
  })

  it('reads an empty assignment as nothing assigned and refuses truncated metadata', () => {
    expect(decodeAssignment(Buffer.alloc(0)).size).toBe(0)
    const full = encodeSubscription({ topics: ['orders'], userData: null })
    expect(() => decodeSubscription(full.subarray(0, 7))).toThrowError(expect.objectContaining({ code: 'TRB_GROUP_INCONSISTENT_PROTOCOL' }))
  })
})
