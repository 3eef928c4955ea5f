import type { RoleName } from '@checkwire/auth';

/** Every caller, the public included: reads that visibility filters. */
export const ANYONE: readonly RoleName[] = [
  'admin',
  'check_runner',
  'scheduler',
  'blue',
  'red',
  'green',
  'public',
  'lc_gateway',
];
/** Who scores: the white team and check runners. */
export const SCORERS: readonly RoleName[] = ['admin', 'check_runner'];
export const ADMIN_ONLY: readonly RoleName[] = ['admin'];
