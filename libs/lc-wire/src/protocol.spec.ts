import { describe, expect, it } from 'vitest';
import { HANDLER_ETYPES } from './protocol.js';

describe('HANDLER_ETYPES', () => {
  it("knows LimaCharlie's etypes and nothing of Object.prototype", () => {
    expect(HANDLER_ETYPES['org_install']).toBe('onOrgInstalled');
    expect(HANDLER_ETYPES['sensor_per_30d']).toBe('every30DayPerSensor');
    expect(Object.keys(HANDLER_ETYPES)).toHaveLength(8 + 3 * 6);
    for (const etype of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) {
      expect(HANDLER_ETYPES[etype]).toBeUndefined();
    }
  });
});
