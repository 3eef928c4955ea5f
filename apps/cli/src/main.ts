import { isGrpcError } from '@checkwire/grpc';
import { status } from '@grpc/grpc-js';
import { AlreadyBootstrapped, runBootstrap } from './bootstrap.command.js';
import { connectFromEnv } from './connection.js';
import { runTokens, runWhoAmI, TOKENS_USAGE, UsageError } from './tokens.command.js';

// checkwire: the white team's command line. Talks to the scoring server over gRPC like any client.

const [command, ...args] = process.argv.slice(2);
const connection = connectFromEnv(process.env);
try {
  if (command === 'tokens') console.log(await runTokens(args, connection));
  else if (command === 'whoami') console.log(await runWhoAmI(connection));
  else if (command === 'bootstrap') console.log(await runBootstrap(process.env));
  else throw new UsageError(TOKENS_USAGE);
  process.exitCode = 0;
} catch (err) {
  if (err instanceof UsageError || (err instanceof TypeError && 'code' in err)) {
    console.error(`usage: ${err.message}`);
    process.exitCode = 2;
  } else if (err instanceof AlreadyBootstrapped) {
    console.error(`checkwire: ${err.message}`);
    process.exitCode = 1;
  } else if (isGrpcError(err)) {
    console.error(`checkwire: ${status[err.code]}: ${err.details}`);
    process.exitCode = 1;
  } else {
    throw err;
  }
} finally {
  connection.close();
}
