/**
 * A struct value may carry its own payload text: the payload writer then calls this instead of
 * writing the struct field by field, so a connector emitting many records of one shape encodes
 * the parts they share once (a change event's `source` block, whose fields but one or two stay
 * the same for a whole transaction). It must return exactly what the writer would write for the
 * struct's schema. Data is never changed in place: a transform that changes a struct builds a new
 * object, which has no such method (put it on a prototype, not on the object, so a copy does not
 * take it along).
 */
export const toPayloadText: unique symbol = Symbol.for('tributary.toPayloadText')

export interface PayloadTextSource {
  [toPayloadText](): string
}
