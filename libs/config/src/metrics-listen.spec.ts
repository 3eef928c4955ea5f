import { describe, expect, it } from 'vitest';
import { LISTEN_DEFAULTS, METRICS_DEFAULTS } from './listen-defaults.js';
import { envMetricsListen } from './metrics-listen.js';

const scoring = METRICS_DEFAULTS.scoring;

describe('envMetricsListen', () => {
  it('serves on 127.0.0.1 and the app default port when unset', () => {
    expect(envMetricsListen({}, scoring)).toEqual({
      host: '127.0.0.1',
      port: 9464,
      hostVar: 'SCORING_METRICS_HOST',
      portVar: 'SCORING_METRICS_PORT',
    });
  });

  it('takes a port (0 picks a free one) and a host', () => {
    expect(
      envMetricsListen({ SCORING_METRICS_PORT: '0', SCORING_METRICS_HOST: '0.0.0.0' }, scoring),
    ).toMatchObject({ host: '0.0.0.0', port: 0 });
    expect(envMetricsListen({ SCORING_METRICS_PORT: ' 9999 ' }, scoring)?.port).toBe(9999);
  });

  it('is undefined for off: no endpoint', () => {
    expect(envMetricsListen({ SCORING_METRICS_PORT: 'off' }, scoring)).toBeUndefined();
    expect(envMetricsListen({ SCORING_METRICS_PORT: 'OFF' }, scoring)).toBeUndefined();
  });

  it('refuses anything else in one line naming the variable, off and the default', () => {
    for (const bad of ['-1', '65536', '1.5', 'no', '0x10']) {
      expect(() => envMetricsListen({ SCORING_METRICS_PORT: bad }, scoring)).toThrow(
        `SCORING_METRICS_PORT: ${JSON.stringify(bad)} is not a port 0..65535 or off; set it to a port (0 picks a free one) or off (no metrics endpoint), or unset it for the default 9464`,
      );
    }
    expect(() => envMetricsListen({ SCORING_METRICS_HOST: 'not a host' }, scoring)).toThrow(
      /^SCORING_METRICS_HOST: "not a host" is not a host name or IP address/,
    );
  });

  it('gives every app a port of its own, none of them a server port', () => {
    const ports = Object.values(METRICS_DEFAULTS).map((d) => d.port);
    expect(new Set(ports).size).toBe(ports.length);
    for (const { port } of Object.values(LISTEN_DEFAULTS)) expect(ports).not.toContain(port);
    expect(Object.keys(METRICS_DEFAULTS).sort()).toEqual([
      'console',
      'jobs',
      'lc-example',
      'lc-gateway',
      'runner',
      'scheduler',
      'scoring',
    ]);
  });
});
