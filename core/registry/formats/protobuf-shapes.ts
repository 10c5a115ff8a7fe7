/**
 * What protobufjs' reflection says only indirectly about a declaration, as the .proto text means it:
 * a proto3 `optional` field is a plain field (protobufjs puts it alone in a synthetic oneof), a group
 * is a field and a nested type marked `group`, a map field has a key type.
 */
import protobuf from 'protobufjs'
import type { Field, MapField, OneOf, ReflectionObject, Type } from 'protobufjs'

export function isGroupType(object: ReflectionObject): boolean {
  return object instanceof protobuf.Type && (object as Type & { group?: boolean }).group === true
}

function isSyntheticOneof(oneof: OneOf | null): boolean {
  return oneof !== null && oneof.fieldsArray.length === 1 && oneof.fieldsArray[0]?.options?.proto3_optional === true
}

/** A field not declared in a real oneof (a proto3 `optional` field sits in a synthetic one). */
export function isPlainField(field: Field): boolean {
  return field.partOf === null || isSyntheticOneof(field.partOf)
}

/** The oneofs the text declares. */
export function realOneofs(type: Type): OneOf[] {
  return type.oneofsArray.filter((oneof) => !isSyntheticOneof(oneof))
}

/** The key type of a map field. */
export function mapKeyType(field: Field): string {
  return (field as unknown as MapField).keyType
}
