import {
  InvalidArgumentError,
  NotFoundError,
  nonEmpty,
  optionalId,
  requireId,
} from '@checkwire/errors';
import { PG_FOREIGN_KEY_VIOLATION, pgErrorInfo, type Db, type TokenRoleName } from '@checkwire/db';
import type { Authenticator } from './authenticator.js';
import { newSecret } from './token-secret.js';
import {
  insertIfNoTokens,
  findToken,
  insertToken,
  listTokens,
  lockExistingServices,
  revokeToken,
  type TokenFields,
  type TokenRecord,
} from './token.repository.js';

export interface TokenSpec {
  name: string;
  role: TokenRoleName;
  teamId?: number | undefined;
  subtypes?: readonly string[];
  serviceIds?: readonly number[];
}

export interface IssuedToken {
  token: TokenRecord;
  /** The bearer secret: returned once, never stored. */
  secret: string;
}

type SpecFields = Omit<TokenFields, 'secret_sha256' | 'prefix'>;

function fieldsOf(spec: TokenSpec): SpecFields {
  const subtypes = spec.subtypes ?? [];
  const serviceIds = spec.serviceIds ?? [];
  const teamId = optionalId('team_id', spec.teamId);
  if (spec.role === 'blue' && teamId === undefined) {
    throw new InvalidArgumentError('team_id', 'is required for a blue team token');
  }
  if (spec.role !== 'blue' && teamId !== undefined) {
    throw new InvalidArgumentError('team_id', `only a blue token has a team, not ${spec.role}`);
  }
  if (spec.role !== 'check_runner' && (subtypes.length > 0 || serviceIds.length > 0)) {
    throw new InvalidArgumentError(
      subtypes.length > 0 ? 'subtypes' : 'service_ids',
      `only a check_runner token is limited to subtypes or services, not ${spec.role}`,
    );
  }
  subtypes.forEach((s, i) => nonEmpty(`subtypes[${i}]`, s, 64));
  serviceIds.forEach((id, i) => requireId(`service_ids[${i}]`, id));
  return {
    name: nonEmpty('name', spec.name, 200),
    role: spec.role,
    team_id: teamId ?? null,
    subtypes: [...new Set(subtypes)],
    service_ids: [...new Set(serviceIds)],
  };
}

/** Minting, listing and revoking API tokens. */
export class TokenAdministration {
  constructor(
    private readonly db: Db,
    private readonly authenticator: Authenticator,
  ) {}

  /** NOT_FOUND names the first service (`service_ids[i]`) or the team that does not exist. */
  async create(spec: TokenSpec): Promise<IssuedToken> {
    const fields = fieldsOf(spec);
    const { secret, sha256, prefix } = newSecret();
    const token = await this.db
      .transaction()
      .execute(async (trx) => {
        const found = await lockExistingServices(trx, fields.service_ids);
        for (const [i, id] of (spec.serviceIds ?? []).entries()) {
          if (!found.has(id)) throw new NotFoundError(`service_ids[${i}]: service`, id);
        }
        return insertToken(trx, { ...fields, secret_sha256: sha256, prefix });
      })
      .catch((err: unknown) => {
        if (pgErrorInfo(err)?.code === PG_FOREIGN_KEY_VIOLATION) {
          throw new NotFoundError('team', fields.team_id ?? '?');
        }
        throw err;
      });
    return { token, secret };
  }

  list(includeRevoked: boolean): Promise<TokenRecord[]> {
    return listTokens(this.db, includeRevoked);
  }

  async get(id: number): Promise<TokenRecord> {
    const token = await findToken(this.db, requireId('id', id));
    if (token === undefined) throw new NotFoundError('token', id);
    return token;
  }

  async revoke(id: number): Promise<TokenRecord> {
    const token = await revokeToken(this.db, requireId('id', id));
    if (token === undefined) throw new NotFoundError('token', id);
    this.authenticator.forget(id);
    return token;
  }

  /**
   * On a database without any token, mints an admin token (once, across replicas) so the white
   * team can get in; undefined when tokens exist already.
   */
  async bootstrap(): Promise<IssuedToken | undefined> {
    const { secret, sha256, prefix } = newSecret();
    const token = await insertIfNoTokens(this.db, {
      ...fieldsOf({ name: 'bootstrap admin', role: 'admin' }),
      secret_sha256: sha256,
      prefix,
    });
    return token === undefined ? undefined : { token, secret };
  }
}
