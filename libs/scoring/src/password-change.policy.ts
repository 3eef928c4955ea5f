import { definePolicy } from '@checkwire/auth';
import type { PasswordChangeServiceServer } from '@checkwire/proto';
import { ADMIN_ONLY } from './roles.js';

/** Who may call each PasswordChangeService RPC. */
export const PASSWORD_CHANGE_POLICY = definePolicy<PasswordChangeServiceServer>(
  'PasswordChangeService',
  {
    requestPasswordChange: ['admin', 'blue'],
    listPasswordChanges: ['admin', 'blue'],
    decidePasswordChange: ADMIN_ONLY,
  },
  {
    requestPasswordChange: "blue: its own team's services, and pools only its own services use",
    listPasswordChanges: "blue: its own team's, passwords left out",
  },
);
