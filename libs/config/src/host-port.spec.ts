import { describe, expect, it } from 'vitest';
import { envHostPort, envListenHost, envOptionalHostPort, hostPortProblem } from './host-port.js';

describe('host:port', () => {
  it('accepts what grpc-js dials: host:port, [ipv6]:port, and its dns: prefixes', () => {
    for (const target of [
      '127.0.0.1:50051',
      'checkwire-jobs:50052',
      'localhost:1',
      '[::1]:50051',
      'dns:///scoring.internal:50051',
      'dns:scoring:50051',
      'dns://8.8.8.8/scoring.example.com:443',
    ]) {
      expect(hostPortProblem(target), target).toBeUndefined();
    }
  });

  it('refuses a missing port, a bad port, a bare IPv6 address and other schemes', () => {
    for (const target of [
      'nohostport',
      '::1',
      'h:',
      ':50051',
      'http://h:1',
      'unix:/tmp/s',
      'a b:1',
      'h:http',
    ]) {
      expect(hostPortProblem(target), target).toBe(`${JSON.stringify(target)} is not host:port`);
    }
    for (const target of ['h:0', 'h:65536', '[::1]:99999']) {
      expect(hostPortProblem(target), target).toBe(
        `${JSON.stringify(target)} is not host:port (its port must be 1..65535)`,
      );
    }
  });

  it('names the variable and the default in the fix', () => {
    expect(envHostPort({}, 'JOBS_ADDRESS', '127.0.0.1:50052')).toBe('127.0.0.1:50052');
    expect(() => envHostPort({ JOBS_ADDRESS: 'jobs' }, 'JOBS_ADDRESS', '127.0.0.1:50052')).toThrow(
      'JOBS_ADDRESS: "jobs" is not host:port; set it to host:port, e.g. 127.0.0.1:50052, or unset it for the default 127.0.0.1:50052',
    );
    expect(envOptionalHostPort({}, 'S', 'h:1')).toBeUndefined();
    expect(() => envOptionalHostPort({ S: 'x' }, 'S', 'h:1')).toThrow(
      'S: "x" is not host:port; set it to host:port, e.g. h:1, or unset it',
    );
  });

  it('listen hosts are names or addresses without a port', () => {
    expect(envListenHost({ H: '::' }, 'H', '127.0.0.1')).toBe('::');
    expect(envListenHost({ H: '0.0.0.0' }, 'H', '127.0.0.1')).toBe('0.0.0.0');
    expect(() => envListenHost({ H: '0.0.0.0:80' }, 'H', '127.0.0.1')).toThrow(
      'H: "0.0.0.0:80" is not a host name or IP address; set it to an address of this machine',
    );
  });
});
