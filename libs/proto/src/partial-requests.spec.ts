import { describe, expect, it } from 'vitest';
import * as gen from './gen/index.js';
import * as proto from './index.js';

const serviceNames = Object.keys(gen).filter((name) => name.endsWith('ServiceService'));

describe('service definitions for clients', () => {
  it.each(serviceNames)('%s takes partial requests', (name) => {
    const wrapped = (proto as Record<string, unknown>)[name];
    expect(wrapped).not.toBe((gen as Record<string, unknown>)[name]);
  });

  it('encodes a partial request as its full message (defaults at every depth)', () => {
    const finish = proto.ScoringServiceService.finishServiceChecks;
    const bytes = finish.requestSerialize({
      entries: [{ serviceId: 7, result: 1 }],
    } as unknown as gen.FinishServiceChecksRequest);
    expect(finish.requestDeserialize(bytes)).toEqual(
      gen.FinishServiceChecksRequest.fromPartial({ entries: [{ serviceId: 7, result: 1 }] }),
    );
    // The generated definition alone cannot encode it.
    expect(() =>
      gen.ScoringServiceService.finishServiceChecks.requestSerialize({
        entries: [{ serviceId: 7, result: 1 }],
      } as unknown as gen.FinishServiceChecksRequest),
    ).toThrow();
  });
});
