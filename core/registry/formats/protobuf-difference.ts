/**
 * The differences Confluent's protobuf SchemaDiff names, which of them break a reader, and the
 * message it gives for each breaking one: `{errorType:"…", description:"…"}`, as its REST API returns.
 */

export type DifferenceType =
  | 'PACKAGE_CHANGED'
  | 'MESSAGE_ADDED'
  | 'MESSAGE_REMOVED'
  | 'FIELD_ADDED'
  | 'FIELD_REMOVED'
  | 'FIELD_NAME_CHANGED'
  | 'FIELD_KIND_CHANGED'
  | 'FIELD_SCALAR_KIND_CHANGED'
  | 'FIELD_NAMED_TYPE_CHANGED'
  | 'FIELD_NUMERIC_LABEL_CHANGED'
  | 'FIELD_STRING_OR_BYTES_LABEL_CHANGED'
  | 'REQUIRED_FIELD_ADDED'
  | 'REQUIRED_FIELD_REMOVED'
  | 'ONEOF_ADDED'
  | 'ONEOF_REMOVED'
  | 'ONEOF_FIELD_ADDED'
  | 'ONEOF_FIELD_REMOVED'
  | 'MULTIPLE_FIELDS_MOVED_TO_ONEOF'
  | 'FIELD_MOVED_TO_EXISTING_ONEOF'

export const INCOMPATIBLE: ReadonlySet<DifferenceType> = new Set<DifferenceType>([
  'PACKAGE_CHANGED',
  'MESSAGE_REMOVED',
  'FIELD_KIND_CHANGED',
  'FIELD_SCALAR_KIND_CHANGED',
  'FIELD_NAMED_TYPE_CHANGED',
  'FIELD_NUMERIC_LABEL_CHANGED',
  'REQUIRED_FIELD_ADDED',
  'REQUIRED_FIELD_REMOVED',
  'ONEOF_FIELD_REMOVED',
  'MULTIPLE_FIELDS_MOVED_TO_ONEOF',
  'FIELD_MOVED_TO_EXISTING_ONEOF',
])

/** `reader` and `writer` name the two schemas in the text ("new" and "old" in a BACKWARD check). */
export function describeDifference(type: DifferenceType, path: string, reader: string, writer: string): string {
  let description: string
  switch (type) {
    case 'PACKAGE_CHANGED':
      description = `The package at '${path}' in the ${reader} schema does not match the package in the ${writer} schema`
      break
    case 'MESSAGE_REMOVED':
      description = `The ${reader} schema is missing a MESSAGE type at path '${path}' in the ${writer} schema`
      break
    case 'FIELD_KIND_CHANGED':
      description = `The type of a field at path '${path}' in the ${reader} schema does not match the ${writer} schema`
      break
    case 'FIELD_SCALAR_KIND_CHANGED':
      description = `The kind of a SCALAR field at path '${path}' in the ${reader} schema does not match its kind in the ${writer} schema`
      break
    case 'FIELD_NAMED_TYPE_CHANGED':
      description = `The type of a MESSAGE field at path '${path}' in the ${reader} schema does not match its type in the ${writer} schema`
      break
    case 'FIELD_NUMERIC_LABEL_CHANGED':
      description = `The label for a NUMERIC field at path '${path}' in the ${reader} schema does not match its label in the ${writer} schema`
      break
    case 'REQUIRED_FIELD_ADDED':
      description = `A required field  at path '${path}' in the ${reader} schema is missing in the ${writer} schema`
      break
    case 'REQUIRED_FIELD_REMOVED':
      description = `The ${reader} schema is missing a required field at path: '${path}' in the ${writer} schema`
      break
    case 'ONEOF_FIELD_REMOVED':
      description = `The ${reader} schema is missing a oneof field at path '${path}' in the ${writer} schema`
      break
    case 'MULTIPLE_FIELDS_MOVED_TO_ONEOF':
      description = `Multiple fields in the oneof at path '${path}' in the ${reader} schema are outside a oneof in the ${writer} schema`
      break
    case 'FIELD_MOVED_TO_EXISTING_ONEOF':
      description = `A field in the oneof at path '${path}' in the ${reader} schema is outside an existing oneof in the ${writer} schema`
      break
    default:
      description = ''
  }
  return `{errorType:"${type}", description:"${description}"}`
}
