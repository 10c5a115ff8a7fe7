/**
 * The behaviour every implementation of the Schema Registry seam must show, in Confluent's terms and
 * with its error codes, written against the interface only: the registry kept in `_schemas` runs it
 * directly and through its HTTP server (the HTTP client on the other end).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { SchemaRegistry } from '../../core/registry/registry.ts'

export interface RegistryUnderTest {
  readonly registry: SchemaRegistry
  /** Stops the registry and starts it again on the same storage. */
  restart(): Promise<SchemaRegistry>
  cleanup(): Promise<void>
}

const user = (fields: object[] = []) =>
  JSON.stringify({ type: 'record', name: 'User', namespace: 'com.example', fields: [{ name: 'id', type: 'long' }, ...fields] })
/** The same schema as user(), laid out differently. */
const userSpread = `{
  "type" : "record", "name" : "User", "namespace" : "com.example",
  "fields" : [ { "name" : "id", "type" : "long" } ]
}`
const address = JSON.stringify({ type: 'record', name: 'Address', namespace: 'com.example', fields: [{ name: 'city', type: 'string' }] })

export function runRegistrySuite(name: string, start: () => Promise<RegistryUnderTest>): void {
  describe(`${name}: the Schema Registry seam`, () => {
    let subject: RegistryUnderTest
    let registry: SchemaRegistry

    beforeEach(async () => {
      subject = await start()
      registry = subject.registry
    })
    afterEach(async () => {
      await subject.cleanup()
    })

    it('gives a schema one global id, under every subject, whatever its layout', async () => {
      expect(await registry.register('users-value', { schema: user() })).toEqual({ id: 1, version: 1 })
      expect(await registry.register('users-value', { schema: userSpread })).toEqual({ id: 1, version: 1 })
      expect(await registry.register('archive-value', { schema: userSpread })).toEqual({ id: 1, version: 1 })
      expect(await registry.register('users-key', { schema: '"long"' })).toEqual({ id: 2, version: 1 })
      expect(await registry.subjects()).toEqual(['archive-value', 'users-key', 'users-value'])
      expect(await registry.subjects({ prefix: 'users' })).toEqual(['users-key', 'users-value'])
      const byId = await registry.schemaById(1)
      expect(byId).toMatchObject({ schemaType: 'AVRO', references: [] })
      expect(JSON.parse(byId.schema)).toEqual(JSON.parse(user()))
      expect(await registry.versionsOfId(1)).toEqual([
        { subject: 'archive-value', version: 1 },
        { subject: 'users-value', version: 1 },
      ])
      await expect(registry.schemaById(99)).rejects.toMatchObject({ errorCode: 40403 })
    })

    it("adds versions that pass the subject's compatibility level and refuses the others with 409", async () => {
      await registry.register('users-value', { schema: user() })
      // BACKWARD (the default): a new field needs a default, so the new schema reads old records.
      await expect(registry.register('users-value', { schema: user([{ name: 'email', type: 'string' }]) })).rejects.toMatchObject({
        errorCode: 409,
        message: expect.stringContaining('email'),
      })
      expect(await registry.register('users-value', { schema: user([{ name: 'email', type: 'string', default: '' }]) })).toEqual({
        id: 2,
        version: 2,
      })
      expect(await registry.versions('users-value')).toEqual([1, 2])
      expect(await registry.version('users-value', 'latest')).toMatchObject({
        subject: 'users-value',
        version: 2,
        id: 2,
        schemaType: 'AVRO',
      })
      expect(
        await registry.checkCompatibility('users-value', 'latest', { schema: user([{ name: 'email', type: 'int', default: 0 }]) }),
      ).toMatchObject({ isCompatible: false })
      expect(
        await registry.checkCompatibility('users-value', 'latest', {
          schema: user([
            { name: 'email', type: 'string', default: '' },
            { name: 'age', type: 'int', default: 0 },
          ]),
        }),
      ).toEqual({ isCompatible: true, messages: [] })
      await expect(registry.compatibility('users-value')).rejects.toMatchObject({ errorCode: 40408 })
      expect(await registry.compatibility('users-value', { defaultToGlobal: true })).toBe('BACKWARD')
      await registry.setCompatibility('NONE', 'users-value')
      expect(await registry.compatibility('users-value')).toBe('NONE')
      expect(await registry.register('users-value', { schema: '"string"' })).toEqual({ id: 3, version: 3 })
      expect(await registry.deleteCompatibility('users-value')).toBe('NONE')
      await registry.setCompatibility('FULL')
      expect(await registry.compatibility()).toBe('FULL')
      expect(await registry.compatibility('users-value', { defaultToGlobal: true })).toBe('FULL')
    })

    it('answers 42201 for a schema that is not one, and 40401/40403 for what is not there', async () => {
      await expect(
        registry.register('bad-value', { schema: '{"type":"record","name":"X","fields":[{"name":"a","type":"nosuchtype"}]}' }),
      ).rejects.toMatchObject({ errorCode: 42201 })
      await expect(registry.register('bad-value', { schema: 'not json' })).rejects.toMatchObject({ errorCode: 42201 })
      await expect(registry.versions('bad-value')).rejects.toMatchObject({ errorCode: 40401 })
      await registry.register('users-value', { schema: user() })
      expect(await registry.lookup('users-value', { schema: userSpread })).toMatchObject({ subject: 'users-value', version: 1, id: 1 })
      await expect(registry.lookup('users-value', { schema: '"string"' })).rejects.toMatchObject({ errorCode: 40403 })
      await expect(registry.lookup('nobody-value', { schema: user() })).rejects.toMatchObject({ errorCode: 40401 })
      await expect(registry.version('users-value', 7)).rejects.toMatchObject({ errorCode: 40402 })
    })

    it('soft deletes, then permanently deletes, versions and subjects, in that order only', async () => {
      await registry.register('users-value', { schema: user() })
      await registry.register('users-value', { schema: user([{ name: 'email', type: 'string', default: '' }]) })
      await expect(registry.deleteVersion('users-value', 1, { permanent: true })).rejects.toMatchObject({ errorCode: 40407 })
      expect(await registry.deleteVersion('users-value', 1)).toBe(1)
      await expect(registry.deleteVersion('users-value', 1)).rejects.toMatchObject({ errorCode: 40406 })
      expect(await registry.versions('users-value')).toEqual([2])
      expect(await registry.versions('users-value', { deleted: true })).toEqual([1, 2])
      expect(await registry.version('users-value', 1, { deleted: true })).toMatchObject({ version: 1, deleted: true })
      expect(await registry.deleteVersion('users-value', 1, { permanent: true })).toBe(1)
      expect(await registry.versions('users-value', { deleted: true })).toEqual([2])
      // A permanently deleted version's id is not reused.
      expect(await registry.register('other-value', { schema: '"bytes"' })).toEqual({ id: 3, version: 1 })

      await expect(registry.deleteSubject('users-value', { permanent: true })).rejects.toMatchObject({ errorCode: 40405 })
      expect(await registry.deleteSubject('users-value')).toEqual([2])
      await expect(registry.deleteSubject('users-value')).rejects.toMatchObject({ errorCode: 40404 })
      await expect(registry.versions('users-value')).rejects.toMatchObject({ errorCode: 40401 })
      expect(await registry.subjects()).toEqual(['other-value'])
      expect(await registry.subjects({ deleted: true })).toEqual(['other-value', 'users-value'])
      expect(await registry.deleteSubject('users-value', { permanent: true })).toEqual([2])
      expect(await registry.subjects({ deleted: true })).toEqual(['other-value'])
      // A subject deleted for good starts again at version 1; no id is given twice.
      expect(await registry.register('users-value', { schema: user() })).toEqual({ id: 4, version: 1 })
      // Not even the highest, once the records that held it are gone.
      await registry.deleteSubject('users-value')
      await registry.deleteSubject('users-value', { permanent: true })
      expect(await registry.register('third-value', { schema: '"float"' })).toEqual({ id: 5, version: 1 })
    })

    it('resolves references, tells who references a schema, and keeps a referenced one from deletion', async () => {
      const addressId = (await registry.register('address', { schema: address })).id
      const withAddress = JSON.stringify({
        type: 'record',
        name: 'Customer',
        namespace: 'com.example',
        fields: [{ name: 'home', type: 'com.example.Address' }],
      })
      await expect(registry.register('customers-value', { schema: withAddress })).rejects.toMatchObject({ errorCode: 42201 })
      const references = [{ name: 'com.example.Address', subject: 'address', version: 1 }]
      const customer = await registry.register('customers-value', { schema: withAddress, references })
      expect(customer.id).not.toBe(addressId)
      expect(await registry.version('customers-value', 1)).toMatchObject({ references })
      expect(await registry.referencedBy('address', 1)).toEqual([customer.id])
      await expect(registry.deleteVersion('address', 1)).rejects.toMatchObject({ errorCode: 42206 })
      await expect(
        registry.register('customers-value', {
          schema: withAddress,
          references: [{ name: 'com.example.Address', subject: 'address', version: 9 }],
        }),
      ).rejects.toMatchObject({ errorCode: 42201 })
    })

    it('keeps JSON Schema and Protobuf schemas beside Avro ones, each checked in its own language', async () => {
      const jsonSchema = JSON.stringify({ type: 'object', properties: { id: { type: 'integer' } } })
      expect(await registry.register('json-value', { schemaType: 'JSON', schema: jsonSchema })).toEqual({ id: 1, version: 1 })
      expect(await registry.schemaById(1)).toMatchObject({ schemaType: 'JSON' })
      await expect(registry.register('json-value', { schemaType: 'JSON', schema: '{"type": 12}' })).rejects.toMatchObject({
        errorCode: 42201,
      })
      const proto = 'syntax = "proto3";\npackage com.example;\n\nmessage User {\n  int64 id = 1;\n}\n'
      expect(await registry.register('proto-value', { schemaType: 'PROTOBUF', schema: proto })).toEqual({ id: 2, version: 1 })
      await expect(
        registry.register('proto-value', { schemaType: 'PROTOBUF', schema: proto.replace('int64 id', 'string id') }),
      ).rejects.toMatchObject({ errorCode: 409 })
      await expect(registry.register('proto-value', { schemaType: 'PROTOBUF', schema: 'message {' })).rejects.toMatchObject({
        errorCode: 42201,
      })
      // The same text in another language is another schema.
      await expect(registry.register('proto-value', { schema: user() })).rejects.toMatchObject({ errorCode: 409 })
    })

    it('refuses writes in READONLY mode and takes them again in READWRITE', async () => {
      expect(await registry.mode()).toBe('READWRITE')
      await registry.setMode('READONLY')
      await expect(registry.register('users-value', { schema: user() })).rejects.toMatchObject({ errorCode: 42205 })
      await registry.setMode('READWRITE')
      await registry.register('users-value', { schema: user() })
      await registry.setMode('READONLY', 'users-value')
      expect(await registry.mode('users-value')).toBe('READONLY')
      await expect(
        registry.register('users-value', { schema: userSpread.replace('"long"', '"long", "default": 0') }),
      ).rejects.toMatchObject({ errorCode: 42205 })
      expect(await registry.register('others-value', { schema: '"int"' })).toMatchObject({ version: 1 })
      await expect(registry.setMode('IMPORT')).rejects.toMatchObject({ errorCode: 42205 })
      expect(await registry.deleteMode('users-value')).toBe('READONLY')
      await expect(registry.mode('users-value')).rejects.toMatchObject({ errorCode: 40409 })
    })

    it('keeps every schema, id, version and level across a restart, and goes on from the highest id', async () => {
      await registry.register('users-value', { schema: user() })
      await registry.register('users-value', { schema: user([{ name: 'email', type: 'string', default: '' }]) })
      await registry.register('users-key', { schema: '"long"' })
      await registry.setCompatibility('FORWARD', 'users-value')
      await registry.deleteVersion('users-value', 1)
      const restarted = await subject.restart()
      expect(await restarted.subjects()).toEqual(['users-key', 'users-value'])
      expect(await restarted.versions('users-value')).toEqual([2])
      expect(await restarted.versions('users-value', { deleted: true })).toEqual([1, 2])
      expect(await restarted.version('users-value', 'latest')).toMatchObject({ id: 2, version: 2 })
      expect(await restarted.compatibility('users-value')).toBe('FORWARD')
      expect(await restarted.register('users-key', { schema: '"long"' })).toEqual({ id: 3, version: 1 })
      expect(await restarted.register('orders-key', { schema: '"string"' })).toEqual({ id: 4, version: 1 })
    })
  })
}
