import { describe, expect, it } from 'vitest'
import { TributaryError } from '../../../../../core/errors.ts'
import { parseGtids } from '../../../../../connectors/mysql/source/gtid-position.ts'

const A = '3e11fa47-71ca-11e1-9e33-c80aa9429562'
const B = '2c256447-3f0d-431b-9a25-bddf1f1f6ef6'

describe('MySQL GTID sets', () => {
  it('parses and prints uuid:intervals per source, sources in order', () => {
    expect(parseGtids(`${A}:1-5:7,${B}:1-3`, false).toString()).toBe(`${B}:1-3,${A}:1-5:7`)
    expect(parseGtids('', false).toString()).toBe('')
  })

  it('reads @@gtid_executed as the server prints it: upper case, a newline after each comma', () => {
    expect(parseGtids(`${A.toUpperCase()}:1-5,\n${B}:1-3`, false).toString()).toBe(`${B}:1-3,${A}:1-5`)
  })

  it('advances by each committed GTID, merging intervals and adding sources', () => {
    const gtids = parseGtids(`${A}:1-5:7`, false)
    gtids.add(`${A}:6`)
    expect(gtids.toString()).toBe(`${A}:1-7`)
    gtids.add(`${A}:9`)
    expect(gtids.toString()).toBe(`${A}:1-7:9`)
    gtids.add(`${B}:1`)
    expect(gtids.toString()).toBe(`${B}:1,${A}:1-7:9`)
    gtids.add(`${A}:7`) // a transaction read again after a restart changes nothing
    expect(gtids.toString()).toBe(`${B}:1,${A}:1-7:9`)
  })

  it('keeps tagged sources (MySQL 8.4) after the untagged intervals of their uuid', () => {
    const gtids = parseGtids(`${A}:1-5`, false)
    gtids.add(`${A}:orders:1`)
    gtids.add(`${A}:orders:2`)
    expect(gtids.toString()).toBe(`${A}:1-5:orders:1-2`)
    expect(parseGtids(gtids.toString(), false).toString()).toBe(`${A}:1-5:orders:1-2`)
  })

  it('refuses text that is not a GTID set, and a MariaDB position, as a permanent source error', () => {
    for (const text of [`${A}:0`, `${A}:5-3`, 'not-a-uuid:1', '0-1-42']) {
      const error = (() => {
        try {
          parseGtids(text, false)
        } catch (e) {
          return e
        }
      })()
      expect(error, text).toBeInstanceOf(TributaryError)
      expect(error).toMatchObject({ code: 'TRB_SOURCE_READ', retriable: false, details: { gtids: text } })
    }
  })
})

describe('MariaDB GTID positions', () => {
  it('parses, advances per domain and prints domain-server-sequence', () => {
    const gtids = parseGtids('1-3-7,0-1-42', true)
    expect(gtids.toString()).toBe('0-1-42,1-3-7')
    gtids.add('0-1-43')
    gtids.add('2-5-1')
    expect(gtids.toString()).toBe('0-1-43,1-3-7,2-5-1')
    gtids.add('0-2-10') // after a failover the domain goes on under another server id
    expect(gtids.toString()).toBe('0-2-10,1-3-7,2-5-1')
  })

  it('keeps sequence numbers beyond 2^53 exact', () => {
    const gtids = parseGtids('0-1-18446744073709551614', true)
    gtids.add('0-1-18446744073709551615')
    expect(gtids.toString()).toBe('0-1-18446744073709551615')
  })

  it('refuses a MySQL GTID set and malformed positions', () => {
    for (const text of [`${A}:1-5`, '0-1', '0-1-42,0-2-43']) expect(() => parseGtids(text, true), text).toThrow(TributaryError)
  })
})
