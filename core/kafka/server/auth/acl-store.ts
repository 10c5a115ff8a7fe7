/**
 * The listener's ACLs, kept in the compacted internal topic `_tributary-acls` of the embedded log
 * (one record per binding, a tombstone when deleted), so they survive restarts as Kafka's survive in
 * its metadata log. The topic is made by the first CreateAcls: a listener that never had an ACL
 * adds no topic. Reads are from memory; writes resolve once durable.
 */
import { isTributaryError } from '../../../errors.ts'
import type { Log } from '../../../log/log.ts'
import { CompactedStore } from '../../../log/compacted-store.ts'
import { aclKey, type AclBinding } from './acl-binding.ts'

export const ACLS_TOPIC = '_tributary-acls'

export class AclStore {
  private readonly log: Log
  private store: CompactedStore<AclBinding> | undefined
  private bindings: readonly AclBinding[] = []

  private constructor(log: Log) {
    this.log = log
  }

  static async open(log: Log): Promise<AclStore> {
    const acls = new AclStore(log)
    if (await hasTopic(log, ACLS_TOPIC)) await acls.load()
    return acls
  }

  /** Every binding, in no particular order. */
  list(): readonly AclBinding[] {
    return this.bindings
  }

  /** Stores the bindings (one that exists already is kept as it is). */
  async add(bindings: readonly AclBinding[]): Promise<void> {
    const store = await this.load()
    await store.write(bindings.map((binding) => [aclKey(binding), binding] as const))
    this.refresh(store)
  }

  async remove(bindings: readonly AclBinding[]): Promise<void> {
    if (bindings.length === 0) return
    const store = await this.load()
    await store.write(bindings.map((binding) => [aclKey(binding), undefined] as const))
    this.refresh(store)
  }

  private async load(): Promise<CompactedStore<AclBinding>> {
    this.store ??= await CompactedStore.open<AclBinding>(this.log, ACLS_TOPIC)
    this.refresh(this.store)
    return this.store
  }

  private refresh(store: CompactedStore<AclBinding>): void {
    this.bindings = [...store.entries()].map(([, binding]) => binding)
  }
}

async function hasTopic(log: Log, name: string): Promise<boolean> {
  try {
    await log.describeTopic(name)
    return true
  } catch (error) {
    if (isTributaryError(error, 'TRB_TOPIC_NOT_FOUND')) return false
    throw error
  }
}
