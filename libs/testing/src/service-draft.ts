import { NO_CHECK_SETTINGS, checkSettingsToWire } from '@checkwire/check-settings';
import type { Service } from '@checkwire/proto';

/** A Service request with every field set (an external HTTP check), for tests and benchmarks. */
export function serviceDraft(teamId: number, overrides: Partial<Service> = {}): Service {
  return {
    id: 0,
    teamId,
    subtype: 'HTTP',
    url: 'http://10.0.1.5/',
    port: 80,
    external: true,
    username: '',
    password: '',
    credentialPoolId: undefined,
    teamSpecificInfo: '',
    protocol: 'http',
    httpString: '',
    teamSpecific: false,
    publicVisibility: true,
    blueVisibility: true,
    greenVisibility: false,
    redVisibility: false,
    administrativelyDown: false,
    downReason: '',
    scoreCap: undefined,
    lastScan: undefined,
    lastScanTime: undefined,
    lastScanError: undefined,
    inProgress: false,
    createdAt: undefined,
    updatedAt: undefined,
    name: '',
    points: undefined,
    disabled: false,
    runnerPool: '',
    // As a read gives it back: whole, with every default.
    checkSettings: checkSettingsToWire(NO_CHECK_SETTINGS),
    ...overrides,
  };
}
