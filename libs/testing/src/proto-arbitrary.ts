import fc from 'fast-check';
import protobuf from 'protobufjs';
import descriptor from 'protobufjs/ext/descriptor/index.js';

/**
 * fast-check arbitraries for any protobuf request, built from the served FileDescriptorSet, so
 * every RPC (including ones added later) is fuzzed without a hand-written generator. Values lean
 * towards the edges: 0, -1, 2^31, 2^53, 2^63-1, small ids that exist, empty/huge/NUL strings,
 * unknown enum numbers, missing and repeated messages, and any `strings` the test names (ids,
 * names and keys that exist, so string-keyed RPCs reach past their lookups).
 */
export class ProtoArbitraries {
  private readonly root: protobuf.Root;
  private readonly strings: readonly string[];

  constructor(descriptorSet: Uint8Array, options: { strings?: readonly string[] } = {}) {
    this.strings = options.strings ?? [];
    const set = (
      descriptor as unknown as { FileDescriptorSet: { decode(b: Uint8Array): unknown } }
    ).FileDescriptorSet.decode(descriptorSet);
    this.root = (
      protobuf.Root as unknown as { fromDescriptor(d: unknown): protobuf.Root }
    ).fromDescriptor(set);
    this.root.resolveAll();
  }

  service(fullName: string): protobuf.Service {
    return this.root.lookupService(fullName);
  }

  /** Encoded request messages for `method`. */
  requests(method: protobuf.Method): fc.Arbitrary<Uint8Array> {
    const type = method.resolvedRequestType!;
    return this.message(type, 3).map((o) => type.encode(type.fromObject(o)).finish());
  }

  private message(type: protobuf.Type, depth: number): fc.Arbitrary<Record<string, unknown>> {
    if (type.fullName === '.google.protobuf.Timestamp') {
      return fc.record({
        seconds: fc.oneof(fc.integer({ min: -1e11, max: 1e11 }).map(String), int64()),
        nanos: fc.integer({ min: -2, max: 1_000_000_001 }),
      });
    }
    const fields: Record<string, fc.Arbitrary<unknown>> = {};
    for (const field of type.fieldsArray) {
      const value = this.field(field, depth);
      if (value !== undefined)
        fields[field.name] = field.repeated ? fc.array(value, { maxLength: 4 }) : value;
    }
    return fc.record(fields, { requiredKeys: [] });
  }

  private field(field: protobuf.Field, depth: number): fc.Arbitrary<unknown> | undefined {
    const resolved = field.resolvedType;
    if (resolved instanceof protobuf.Enum) {
      return fc.oneof(
        fc.constantFrom(...Object.values(resolved.values)),
        fc.integer({ min: -3, max: 40 }),
      );
    }
    if (resolved instanceof protobuf.Type) {
      return depth <= 0 ? undefined : this.message(resolved, depth - 1);
    }
    switch (field.type) {
      case 'int64':
      case 'sint64':
      case 'sfixed64':
      case 'uint64':
      case 'fixed64':
        return fc.oneof(
          { weight: 3, arbitrary: smallId() },
          { weight: 2, arbitrary: edgeInt() },
          int64(),
        );
      case 'int32':
      case 'sint32':
      case 'sfixed32':
        return fc.oneof(smallId(), fc.integer());
      case 'uint32':
      case 'fixed32':
        return fc.oneof(smallId(), fc.nat({ max: 0xffffffff }));
      case 'bool':
        return fc.boolean();
      case 'double':
      case 'float':
        return fc.double();
      case 'bytes':
        return fc.uint8Array({ maxLength: 64 });
      case 'string':
        return this.strings.length === 0
          ? text()
          : fc.oneof({ weight: 3, arbitrary: text() }, fc.constantFrom(...this.strings));
      default:
        throw new Error(`no arbitrary for ${field.type} (${field.fullName})`);
    }
  }
}

const smallId = () => fc.integer({ min: 0, max: 12 });
const edgeInt = () =>
  fc.constantFrom(-1, 2 ** 31 - 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 - 1, 65535, 65536);
const int64 = () => fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((n) => n.toString());
const text = () =>
  fc.oneof(
    { weight: 3, arbitrary: fc.string({ maxLength: 20 }) },
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    fc.constantFrom(
      '',
      ' ',
      '\u0000',
      'a\u0000b',
      'x'.repeat(300),
      'é'.repeat(2000),
      'name',
      'password',
      'score_cap',
      'dns',
      'http',
    ),
  );
