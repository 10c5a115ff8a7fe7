/**
 * Kafka's two classic partition assignors, with their ordering rules, so a group's assignment is what
 * a Java consumer group would compute.
 * - range: per topic, partitions split into contiguous ranges over the subscribed members in sorted
 *   order; the first (partitions % members) members get one extra.
 * - roundrobin: all subscribed topic-partitions, sorted, dealt one at a time to the sorted members,
 *   skipping members not subscribed to the partition's topic.
 * Members sort by group.instance.id when static, else by member id (Kafka's MemberInfo ordering).
 */

export interface AssignorMember {
  readonly memberId: string
  readonly groupInstanceId?: string | null
  readonly topics: readonly string[]
}

/** memberId → topic → sorted partitions. Every member appears, even with nothing assigned. */
export type Assignment = Map<string, Map<string, number[]>>

export interface Assignor {
  readonly name: 'range' | 'roundrobin'
  assign(members: readonly AssignorMember[], partitionsPerTopic: ReadonlyMap<string, number>): Assignment
}

function sortMembers(members: readonly AssignorMember[]): AssignorMember[] {
  return [...members].sort((a, b) => {
    const aStatic = a.groupInstanceId ?? null
    const bStatic = b.groupInstanceId ?? null
    if (aStatic !== null && bStatic !== null) return aStatic < bStatic ? -1 : aStatic > bStatic ? 1 : 0
    if (aStatic !== null) return -1
    if (bStatic !== null) return 1
    return a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0
  })
}

function emptyAssignment(members: readonly AssignorMember[]): Assignment {
  return new Map(members.map((member) => [member.memberId, new Map<string, number[]>()]))
}

function give(assignment: Assignment, memberId: string, topic: string, partition: number): void {
  const topics = assignment.get(memberId)!
  const list = topics.get(topic)
  if (list) list.push(partition)
  else topics.set(topic, [partition])
}

export const rangeAssignor: Assignor = {
  name: 'range',
  assign(members, partitionsPerTopic) {
    const assignment = emptyAssignment(members)
    const topics = [...new Set(members.flatMap((member) => member.topics))].sort()
    for (const topic of topics) {
      const count = partitionsPerTopic.get(topic)
      if (count === undefined) continue
      const subscribers = sortMembers(members.filter((member) => member.topics.includes(topic)))
      const perMember = Math.floor(count / subscribers.length)
      const extra = count % subscribers.length
      subscribers.forEach((member, i) => {
        const start = perMember * i + Math.min(i, extra)
        const length = perMember + (i < extra ? 1 : 0)
        for (let p = start; p < start + length; p++) give(assignment, member.memberId, topic, p)
      })
    }
    return assignment
  },
}

export const roundRobinAssignor: Assignor = {
  name: 'roundrobin',
  assign(members, partitionsPerTopic) {
    const assignment = emptyAssignment(members)
    const sorted = sortMembers(members)
    if (sorted.length === 0) return assignment
    const topics = [...new Set(members.flatMap((member) => member.topics))].filter((t) => partitionsPerTopic.has(t)).sort()
    let next = 0
    for (const topic of topics) {
      for (let p = 0; p < partitionsPerTopic.get(topic)!; p++) {
        // Deal to the next member in the circle that subscribes to this topic.
        while (!sorted[next % sorted.length]!.topics.includes(topic)) next++
        give(assignment, sorted[next % sorted.length]!.memberId, topic, p)
        next++
      }
    }
    return assignment
  },
}

export function assignorByName(name: string): Assignor | undefined {
  return name === 'range' ? rangeAssignor : name === 'roundrobin' ? roundRobinAssignor : undefined
}
