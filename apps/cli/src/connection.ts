import { envClientTls } from '@checkwire/config';
import { createPromiseClient, type PromiseClient } from '@checkwire/grpc';
import {
  AdjustmentServiceService,
  AdminServiceService,
  StatusServiceService,
  CompetitionServiceService,
  PasswordChangeServiceService,
  ScoreboardServiceService,
  TokenServiceService,
} from '@checkwire/proto';

type Env = Record<string, string | undefined>;

export interface Connection {
  tokens: PromiseClient<typeof TokenServiceService>;
  competitions: PromiseClient<typeof CompetitionServiceService>;
  scoreboard: PromiseClient<typeof ScoreboardServiceService>;
  adjustments: PromiseClient<typeof AdjustmentServiceService>;
  passwordChanges: PromiseClient<typeof PasswordChangeServiceService>;
  admin: PromiseClient<typeof AdminServiceService>;
  status: PromiseClient<typeof StatusServiceService>;
  close(): void;
}

/**
 * CHECKWIRE_ADDRESS (default 127.0.0.1:50051), CHECKWIRE_TOKEN, and CHECKWIRE_TLS_CA_FILE to
 * speak TLS (plus CHECKWIRE_TLS_CERT_FILE/KEY_FILE for mutual TLS).
 */
export function connectFromEnv(env: Env): Connection {
  const address = env.CHECKWIRE_ADDRESS || '127.0.0.1:50051';
  const options = { token: env.CHECKWIRE_TOKEN || undefined, tls: envClientTls(env) };
  const tokens = createPromiseClient(TokenServiceService, address, options);
  const competitions = createPromiseClient(CompetitionServiceService, address, options);
  const scoreboard = createPromiseClient(ScoreboardServiceService, address, options);
  const adjustments = createPromiseClient(AdjustmentServiceService, address, options);
  const passwordChanges = createPromiseClient(PasswordChangeServiceService, address, options);
  const admin = createPromiseClient(AdminServiceService, address, options);
  const status = createPromiseClient(StatusServiceService, address, options);
  return {
    tokens,
    competitions,
    scoreboard,
    adjustments,
    passwordChanges,
    admin,
    status,
    close: () =>
      [tokens, competitions, scoreboard, adjustments, passwordChanges, admin, status].forEach(
        (client) => client.close(),
      ),
  };
}
