import { envString } from '@checkwire/config';
import { mintBootstrapToken } from '@checkwire/scoring';

/** Answered when the database has tokens already: nothing is minted (exit code 1). */
export class AlreadyBootstrapped extends Error {}

/**
 * `bootstrap`: the first admin token, minted straight in the database (DATABASE_URL) when it has
 * no token at all, and printed to this terminal only. For deployments that turn the scoring
 * server's own bootstrap off (SCORING_BOOTSTRAP_ADMIN_TOKEN=off) to keep the token out of pod
 * logs: run it once with `kubectl exec -it deploy/checkwire-scoring -- …`.
 */
export async function runBootstrap(env: Record<string, string | undefined>): Promise<string> {
  const secret = await mintBootstrapToken(envString(env, 'DATABASE_URL'));
  if (secret === undefined) {
    throw new AlreadyBootstrapped(
      'tokens exist already, so no admin token was minted; mint more with an admin token',
    );
  }
  return `admin token (shown once, store it now):\n  CHECKWIRE_TOKEN=${secret}`;
}
