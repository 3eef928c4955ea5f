import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LcService, response } from '@checkwire/lc-sdk';
import { lcBody, startGateway, type GatewayHarness } from './harness.js';

// Names that are Object.prototype's own (declared by a handler, sent by LimaCharlie) are keys
// like any other, never the prototype's members.

class Odd extends LcService {
  constructor() {
    super('odd');
    this.setRequestParameters({ constructor: { type: 'str' as const, isRequired: true } });
    this.publishResource('__proto__', 'detect', 'rule: odd\n');
  }
  override onRequest() {
    return response({ data: { ok: true } });
  }
}

let h: GatewayHarness;
beforeAll(async () => {
  h = await startGateway([new Odd()], ([a]) => [{ name: 'odd', secret: 's', handler: a! }]);
});
afterAll(() => h.stop());

describe('prototype-named keys', () => {
  it('a required parameter named constructor is missing until sent', async () => {
    expect((await h.post('/odd', lcBody('request', {}))).json).toEqual({
      success: false,
      retry: false,
      data: {},
      error: 'missing parameter constructor',
    });
    expect((await h.post('/odd', lcBody('request', { constructor: 'x' }))).json).toMatchObject({
      success: true,
      data: { ok: true },
    });
  });

  it('a resource named __proto__ is listed by get_resource', async () => {
    const { json } = await h.post('/odd', lcBody('get_resource', { resource: ['__proto__'] }));
    expect(json.success).toBe(true);
    expect(Object.keys(json.data.resources)).toEqual(['__proto__']);
    expect(json.data.resources.__proto__).toMatchObject({ res_cat: 'detect' });
  });
});
