import { definePolicy } from '@checkwire/auth';
import type { TokenServiceServer } from '@checkwire/proto';
import { ADMIN_ONLY, ANYONE } from './roles.js';

/** Who may call each TokenService RPC. */
export const TOKEN_POLICY = definePolicy<TokenServiceServer>('TokenService', {
  createToken: ADMIN_ONLY,
  listTokens: ADMIN_ONLY,
  revokeToken: ADMIN_ONLY,
  whoAmI: ANYONE,
});
