import { describe, expect, it } from 'vitest'
import { groupByPipeline } from '../../../ui/src/pipeline-groups.ts'

describe('connectors grouped by pipeline', () => {
  it("puts each pipeline's connectors together, pipelines by name, then those made by API", () => {
    expect(
      groupByPipeline({
        'zeta.in': { name: 'zeta', file: '/p/zeta.yaml' },
        manual: null,
        'alpha.out': { name: 'alpha', file: '/p/alpha.yaml' },
        'alpha.in': { name: 'alpha', file: '/p/alpha.yaml' },
      }),
    ).toEqual([
      { pipeline: { name: 'alpha', file: '/p/alpha.yaml' }, connectors: ['alpha.in', 'alpha.out'] },
      { pipeline: { name: 'zeta', file: '/p/zeta.yaml' }, connectors: ['zeta.in'] },
      { pipeline: undefined, connectors: ['manual'] },
    ])
  })

  it('has one group without a pipeline when no file owns any connector, and none for no connectors', () => {
    expect(groupByPipeline({ b: null, a: null })).toEqual([{ pipeline: undefined, connectors: ['a', 'b'] }])
    expect(groupByPipeline({})).toEqual([])
  })
})
