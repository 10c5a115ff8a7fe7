import { describe, expect, it } from 'vitest'
import { firstMessage, protobufFormat, protobufRoot } from '../../../../core/registry/formats/protobuf.ts'
import { InvalidSchemaError, type ResolvedReference } from '../../../../core/registry/schema-format.ts'

const parse = (text: string, references: readonly ResolvedReference[] = []) => protobufFormat.parse(text, references)

function reference(name: string, schema: string, references: readonly ResolvedReference[] = []): ResolvedReference {
  return { name, schemaType: 'PROTOBUF', schema, references }
}

const SAMPLE = `// the people
syntax = "proto3";
package acme.v1;

import "google/protobuf/timestamp.proto";
option java_package = "com.acme";
option optimize_for = SPEED;

/* a person */
message Person {
  reserved 2, 9 to 11;
  reserved "nickname";
  string name = 1 [json_name = "fullName", deprecated = true]; // trailing
  optional int32 age = 3;
  repeated int64 ids = 4 [packed = false];
  map<string, Address> addresses = 5;
  oneof contact { string email = 6; string phone = 7; }
  google.protobuf.Timestamp born = 8;
  message Address { string street = 1; }
  enum Kind { KIND_UNSPECIFIED = 0; ADMIN = 1 [deprecated = true]; }
}
enum Status { STATUS_UNSPECIFIED = 0; }
message Empty {}
service People { rpc Get (Person) returns (stream Person); }
`

const SAMPLE_CANONICAL = `syntax = "proto3";
package acme.v1;

import "google/protobuf/timestamp.proto";

option java_package = "com.acme";
option optimize_for = SPEED;

message Person {
  reserved 2, 9 to 11;
  reserved "nickname";

  string name = 1 [
    deprecated = true,
    json_name = "fullName"
  ];
  optional int32 age = 3;
  repeated int64 ids = 4 [packed = false];
  map<string, Address> addresses = 5;
  google.protobuf.Timestamp born = 8;

  oneof contact {
    string email = 6;
    string phone = 7;
  }

  message Address {
    string street = 1;
  }
  enum Kind {
    KIND_UNSPECIFIED = 0;
    ADMIN = 1 [deprecated = true];
  }
}
message Empty {}
enum Status {
  STATUS_UNSPECIFIED = 0;
}

service People {
  rpc Get (Person) returns (stream Person);
}
`

describe('the Protobuf canonical text', () => {
  it('lays the file out as Confluent does: comments dropped, 2-space indent, messages then enums', () => {
    expect(parse(SAMPLE).canonical).toBe(SAMPLE_CANONICAL)
  })

  it('is the same for texts that differ only in whitespace and comments', () => {
    const squeezed = SAMPLE.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, '')
      .replace(/\s+/g, ' ')
      .replace(/ ?([;{}=,[\]]) ?/g, '$1')
    const loose = SAMPLE.replace(/;/g, ' ;\n\n  // noise\n').replace(/\{/g, '{ /* more */ ')
    expect(parse(squeezed).canonical).toBe(SAMPLE_CANONICAL)
    expect(parse(loose).canonical).toBe(SAMPLE_CANONICAL)
  })

  it('keeps proto2 labels and a default value, and an option written as a string stays quoted', () => {
    const text =
      'syntax = "proto2";\nmessage A {\n  required string id = 1;\n  optional Level level = 2 [default = LOW];\n  optional string tag = 3 [default = "LOW"];\n}\nenum Level { LOW = 0; }\n'
    expect(parse(text).canonical).toBe(
      'syntax = "proto2";\n\nmessage A {\n  required string id = 1;\n  optional Level level = 2 [default = LOW];\n  optional string tag = 3 [default = "LOW"];\n}\nenum Level {\n  LOW = 0;\n}\n',
    )
  })

  it('differs when a field number differs', () => {
    expect(parse('syntax = "proto3";\nmessage A { string a = 1; }').canonical).not.toBe(
      parse('syntax = "proto3";\nmessage A { string a = 2; }').canonical,
    )
  })
})

describe('the Protobuf normalized text', () => {
  it('sorts imports, options and fields, and names every type fully qualified', () => {
    const text = `syntax = "proto3";
package p;
import "b.proto";
import "a.proto";
option java_package = "x";
option go_package = "y";
message M {
  b.B second = 2;
  a.A first = 1;
  Inner third = 3;
  map<string, Inner> fourth = 4;
  message Inner {}
}
`
    const refs = [
      reference('a.proto', 'syntax = "proto3";\npackage a;\nmessage A {}'),
      reference('b.proto', 'syntax = "proto3";\npackage b;\nmessage B {}'),
    ]
    expect(parse(text, refs).normalized()).toBe(`syntax = "proto3";
package p;

import "a.proto";
import "b.proto";

option go_package = "y";
option java_package = "x";

message M {
  .a.A first = 1;
  .b.B second = 2;
  .p.M.Inner third = 3;
  map<string, .p.M.Inner> fourth = 4;

  message Inner {}
}
`)
  })

  it('is the same for a short name and a fully qualified one, and for options in another order', () => {
    const a = parse('syntax = "proto3";\npackage p;\nmessage M { N n = 1 [deprecated = true, json_name = "x"]; }\nmessage N {}')
    const b = parse('syntax = "proto3";\npackage p;\nmessage M { .p.N n = 1 [json_name = "x", deprecated = true]; }\nmessage N {}')
    expect(a.canonical).not.toBe(b.canonical)
    expect(a.normalized()).toBe(b.normalized())
  })
})

describe('parsing a Protobuf schema', () => {
  const invalid = (text: string, references: readonly ResolvedReference[] = []): InvalidSchemaError => {
    try {
      parse(text, references)
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidSchemaError)
      return error as InvalidSchemaError
    }
    throw new Error('the schema parsed')
  }

  it('rejects a syntax error, saying the line', () => {
    expect(invalid('syntax = "proto3";\nmessage A {\n  int32 a = ;\n}').message).toMatch(/illegal .*line 3/)
  })

  it('rejects an unknown type, saying its line', () => {
    expect(invalid('syntax = "proto3";\nmessage A {\n  string a = 1;\n  Missing b = 2;\n}').message).toMatch(/Missing.*line 4/)
  })

  it('rejects a field number used twice, saying the line', () => {
    expect(invalid('syntax = "proto3";\nmessage A {\n  int32 a = 1;\n  int32 b = 1;\n}').message).toMatch(/duplicate id 1.*line 4/)
  })

  it('rejects an import that is neither a reference nor well-known', () => {
    expect(invalid('syntax = "proto3";\nimport "nowhere.proto";\nmessage A {}').message).toMatch(/nowhere\.proto.*line 2/)
  })

  it('names the reference a syntax error is in', () => {
    const error = invalid('syntax = "proto3";\nimport "bad.proto";\nmessage A {}', [
      reference('bad.proto', 'syntax = "proto3";\nmessage B {\n  int32 = 1;\n}'),
    ])
    expect(error.message).toMatch(/bad\.proto.*line 3/)
  })

  it('finds imported types through references, their own references first', () => {
    const base = reference('base.proto', 'syntax = "proto3";\npackage base;\nmessage Id { string value = 1; }')
    const mid = reference('mid.proto', 'syntax = "proto3";\npackage mid;\nimport "base.proto";\nmessage Ref { base.Id id = 1; }', [base])
    const parsed = parse('syntax = "proto3";\npackage top;\nimport "mid.proto";\nmessage Order { mid.Ref ref = 1; }', [mid])
    const order = firstMessage(parsed)
    expect(order.fullName).toBe('.top.Order')
    expect(order.fields.ref?.resolvedType?.fullName).toBe('.mid.Ref')
    expect(protobufRoot(parsed).lookupType('base.Id').fields.value?.type).toBe('string')
  })

  it('resolves the well-known google/protobuf imports without references', () => {
    const parsed = parse(
      'syntax = "proto3";\nimport "google/protobuf/timestamp.proto";\nimport "google/protobuf/wrappers.proto";\nimport "google/protobuf/descriptor.proto";\nmessage E { google.protobuf.Timestamp at = 1; google.protobuf.StringValue note = 2; }',
    )
    expect(firstMessage(parsed).fields.at?.resolvedType?.fullName).toBe('.google.protobuf.Timestamp')
  })

  it('gives the first message of the file as the message of the schema', () => {
    const parsed = parse('syntax = "proto3";\npackage p;\nenum E { A = 0; }\nmessage First { E e = 1; }\nmessage Second {}')
    expect(firstMessage(parsed).name).toBe('First')
  })
})

describe('Protobuf compatibility', () => {
  const message = (body: string, header = 'syntax = "proto3";\npackage p;\n') => `${header}message Person {\n${body}\n}\n`
  const problems = (reader: string, writer: string) => protobufFormat.readProblems(parse(reader), parse(writer))

  const BASE = message('  string name = 1;\n  int32 age = 2;')
  type Case = [string, string, string, string[], string[]]
  // [what, old, new, problem types for BACKWARD (new reads old), for FORWARD (old reads new)]
  const cases: Case[] = [
    ['adding a field', BASE, message('  string name = 1;\n  int32 age = 2;\n  bool active = 3;'), [], []],
    ['removing a field', BASE, message('  string name = 1;'), [], []],
    ['renaming a field', BASE, message('  string full_name = 1;\n  int32 age = 2;'), [], []],
    ['int32 to int64', BASE, message('  string name = 1;\n  int64 age = 2;'), [], []],
    ['int32 to an enum', BASE, `${message('  string name = 1;\n  Age age = 2;')}enum Age { ZERO = 0; }\n`, [], []],
    ['string to bytes', BASE, message('  bytes name = 1;\n  int32 age = 2;'), [], []],
    ['string to int32', BASE, message('  int32 name = 1;\n  int32 age = 2;'), ['FIELD_SCALAR_KIND_CHANGED'], ['FIELD_SCALAR_KIND_CHANGED']],
    [
      'int32 to sint32',
      BASE,
      message('  string name = 1;\n  sint32 age = 2;'),
      ['FIELD_SCALAR_KIND_CHANGED'],
      ['FIELD_SCALAR_KIND_CHANGED'],
    ],
    [
      'a scalar to a message',
      BASE,
      `${message('  string name = 1;\n  Age age = 2;')}message Age {}\n`,
      ['FIELD_KIND_CHANGED'],
      ['FIELD_KIND_CHANGED', 'MESSAGE_REMOVED'],
    ],
    [
      'changing the package',
      BASE,
      message('  string name = 1;\n  int32 age = 2;', 'syntax = "proto3";\npackage q;\n'),
      ['PACKAGE_CHANGED'],
      ['PACKAGE_CHANGED'],
    ],
    ['removing a message', `${BASE}message Other {}\n`, BASE, ['MESSAGE_REMOVED'], []],
    ['moving one field into a new oneof', BASE, message('  oneof who { string name = 1; }\n  int32 age = 2;'), [], []],
    [
      'moving two fields into a new oneof',
      BASE,
      message('  oneof who { string name = 1; int32 age = 2; }'),
      ['MULTIPLE_FIELDS_MOVED_TO_ONEOF'],
      [],
    ],
    [
      'moving a field into an existing oneof',
      message('  oneof who { string name = 1; }\n  int32 age = 2;'),
      message('  oneof who { string name = 1; int32 age = 2; }'),
      ['FIELD_MOVED_TO_EXISTING_ONEOF'],
      [],
    ],
    [
      'removing a oneof field',
      message('  oneof who { string name = 1; int32 age = 2; }'),
      message('  oneof who { string name = 1; }'),
      ['ONEOF_FIELD_REMOVED'],
      [],
    ],
    [
      'a numeric field made repeated',
      message('  optional int32 age = 2;'),
      message('  repeated int32 age = 2;'),
      ['FIELD_NUMERIC_LABEL_CHANGED'],
      ['FIELD_NUMERIC_LABEL_CHANGED'],
    ],
    ['a string field made repeated', message('  optional string name = 1;'), message('  repeated string name = 1;'), [], []],
    [
      'adding a required field',
      message('  optional string name = 1;', 'syntax = "proto2";\n'),
      message('  optional string name = 1;\n  required int32 age = 2;', 'syntax = "proto2";\n'),
      ['REQUIRED_FIELD_ADDED'],
      ['REQUIRED_FIELD_REMOVED'],
    ],
    [
      'changing a nested message field',
      message('  Inner inner = 1;\n  message Inner { string a = 1; }'),
      message('  Inner inner = 1;\n  message Inner { int64 a = 1; }'),
      ['FIELD_SCALAR_KIND_CHANGED'],
      ['FIELD_SCALAR_KIND_CHANGED'],
    ],
    [
      'pointing a field at another message',
      `${message('  A x = 1;')}message A {}\nmessage B {}\n`,
      `${message('  B x = 1;')}message A {}\nmessage B {}\n`,
      ['FIELD_NAMED_TYPE_CHANGED'],
      ['FIELD_NAMED_TYPE_CHANGED'],
    ],
    [
      'changing a map value scalar',
      message('  map<string, int32> m = 1;'),
      message('  map<string, string> m = 1;'),
      ['FIELD_SCALAR_KIND_CHANGED'],
      ['FIELD_SCALAR_KIND_CHANGED'],
    ],
  ]

  const types = (messages: string[]) => messages.map((text) => /errorType:"([A-Z_]+)"/.exec(text)?.[1])

  it.each(cases)('%s', (_what, oldText, newText, backward, forward) => {
    expect(types(problems(newText, oldText))).toEqual(backward)
    expect(types(problems(oldText, newText))).toEqual(forward)
  })

  it('says what changed and where, as Confluent does', () => {
    expect(problems(message('  string name = 1;\n  string age = 2;'), BASE)).toEqual([
      '{errorType:"FIELD_SCALAR_KIND_CHANGED", description:"The kind of a SCALAR field at path \'#/Person/2\' in the new schema does not match its kind in the old schema"}',
    ])
    expect(problems(BASE, `${BASE}message Gone {}\n`)).toEqual([
      '{errorType:"MESSAGE_REMOVED", description:"The new schema is missing a MESSAGE type at path \'#/Gone\' in the old schema"}',
    ])
  })

  it('compares a message from a reference when its text changed', () => {
    const v1 = reference('dep.proto', 'syntax = "proto3";\npackage dep;\nmessage D { string a = 1; }')
    const v2 = reference('dep.proto', 'syntax = "proto3";\npackage dep;\nmessage D { int32 a = 1; }')
    const text = 'syntax = "proto3";\npackage p;\nimport "dep.proto";\nmessage M { dep.D d = 1; }'
    expect(types(protobufFormat.readProblems(parse(text, [v2]), parse(text, [v1])))).toEqual([
      'FIELD_SCALAR_KIND_CHANGED',
      'FIELD_NAMED_TYPE_CHANGED',
    ])
    expect(protobufFormat.readProblems(parse(text, [v1]), parse(text, [v1]))).toEqual([])
  })

  it('terminates on a recursive message', () => {
    const tree = message('  repeated Person children = 1;\n  string name = 2;')
    expect(problems(tree, tree)).toEqual([])
  })
})
