/* eslint-disable @typescript-eslint/no-explicit-any -- matches any generated method definition */

/** What ts-proto's generic definition says of a method: the request codec, with fromPartial. */
interface GenericMethod {
  requestType: { fromPartial(object: any): unknown };
}

/**
 * A grpc-js service definition whose clients may send partial requests (any field left out takes
 * its protobuf default, at any depth), as nice-grpc's clients do: each request goes through the
 * message's `fromPartial` before it is encoded. Servers are unaffected (they decode).
 */
export function acceptingPartialRequests<
  D extends Record<string, { requestSerialize: (value: any) => Buffer }>,
>(service: D, generic: { methods: { [K in keyof D]: GenericMethod } }): D {
  const out: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(service)) {
    const { requestType } = generic.methods[name as keyof D];
    out[name] = Object.freeze({
      ...method,
      requestSerialize: (value: unknown) => method.requestSerialize(requestType.fromPartial(value)),
    });
  }
  return Object.freeze(out) as D;
}
