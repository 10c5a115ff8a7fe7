import { describe, expect, it } from 'vitest'
import { isInternalTopic } from '../../../../core/log/internal-topics.ts'
import { storageTopicKind, storageTopics } from '../../../../core/runtime/storage-topics.ts'

describe('storage topic names', () => {
  it("are Kafka Connect's three topics and the registry's _schemas under the default prefix", () => {
    expect(storageTopics()).toEqual({
      prefix: '_tributary-',
      configs: '_tributary-configs',
      offsets: '_tributary-offsets',
      status: '_tributary-status',
      schemas: '_schemas',
    })
  })

  it("follow a prefix of the worker group's own, and every one of them is an internal topic", () => {
    const topics = storageTopics('_tributary-eu-')
    expect(topics).toEqual({
      prefix: '_tributary-eu-',
      configs: '_tributary-eu-configs',
      offsets: '_tributary-eu-offsets',
      status: '_tributary-eu-status',
      schemas: '_tributary-eu-schemas',
    })
    expect([topics.configs, topics.offsets, topics.status, topics.schemas].every(isInternalTopic)).toBe(true)
    expect(() => storageTopics('connect-')).toThrow('_tributary-')
  })

  it("are recognised under any prefix, so every group's configs are masked when browsed", () => {
    expect(
      [
        '_tributary-configs',
        '_tributary-eu-configs',
        '_tributary-status',
        '_tributary-eu-status',
        '_tributary-offsets',
        'app-configs',
        '_schemas',
      ].map(storageTopicKind),
    ).toEqual(['configs', 'configs', 'status', 'status', undefined, undefined, undefined])
  })
})
