import type { Principal } from '@checkwire/auth';

/** The token an audit entry names as the actor (0: a call without a token, which no policy lets write). */
export const actorToken = (p: Principal): number => (p.role === 'public' ? 0 : p.tokenId);
