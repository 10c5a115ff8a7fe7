import { describe, expect, it } from 'vitest'
import { tableTopic } from '../../../../connectors/cdc-envelope/topic-name.ts'
import { validateTopicName } from '../../../../core/log/topic-config.ts'

describe('tableTopic', () => {
  it('keeps legal names as they are and turns what a topic name cannot hold into underscores', () => {
    expect(tableTopic('db', 'public', 'orders_2024-01.v2')).toBe('db.public.orders_2024-01.v2')
    expect(tableTopic('db', 'Sales Dept', 'Order Items (old)')).toBe('db.Sales_Dept.Order_Items__old_')
    expect(tableTopic('db', 'données', 'café')).toBe('db.donn_es.caf_')
    expect(() => validateTopicName(tableTopic('db', 'a/b', 'c:d$e'))).not.toThrow()
  })
})
