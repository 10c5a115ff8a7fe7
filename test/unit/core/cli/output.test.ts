import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { progressBar } from '../../../../core/cli/output.ts'
import { fakeTerminal } from '../../../support/fake-terminal.ts'

describe('progressBar', () => {
  it('draws on a terminal, following a total that grows', () => {
    const terminal = fakeTerminal()
    const bar = progressBar('export', terminal.stream)
    bar.update(5, 10)
    bar.update(15, 20)
    bar.done()
    expect(terminal.text()).toContain(`export [${'='.repeat(15)}${'-'.repeat(15)}] 5/10 50%`)
    expect(terminal.text()).toContain(`export [${'='.repeat(23)}${'-'.repeat(7)}] 15/20 75%`)
  })

  it('writes nothing where stderr is no terminal, nor before a total is known', () => {
    const written: string[] = []
    const pipe = new Writable({
      write(chunk, _encoding, done) {
        written.push(String(chunk))
        done()
      },
    })
    const bar = progressBar('export', pipe)
    bar.update(1, 2)
    bar.done()
    expect(written).toEqual([])
    const terminal = fakeTerminal()
    const idle = progressBar('export', terminal.stream)
    idle.update(0, 0)
    idle.done()
    expect(terminal.text()).toBe('')
  })
})
