import { ConfigError } from '@checkwire/config';
import { EventFileError } from '@checkwire/event-file';
import { isGrpcError } from '@checkwire/grpc';
import { status } from '@grpc/grpc-js';
import { runBootstrap } from './bootstrap.command.js';
import { CliError, firstLine, UsageError } from './cli-errors.js';
import { runAdjust, runAudit, runFlip, runRescore } from './adjust.command.js';
import { runApply, runExport } from './competition.command.js';
import { connectFromEnv, type Connection } from './connection.js';
import { runErrors } from './errors.command.js';
import { runPcr } from './pcr.command.js';
import { runScoreboard } from './scoreboard.command.js';
import { runScores } from './scores.command.js';
import { runServices } from './services.command.js';
import { runTeams } from './teams.command.js';
import { runTokens, runWhoAmI } from './tokens.command.js';
import { USAGE } from './usage.js';

// checkwire: the white team's command line. Talks to the scoring server over gRPC like any client;
// `bootstrap` alone writes to the database. Every failure is one line (exit 1; usage: exit 2),
// except a competition file's: a line per problem, `file:line: path: what`, as compilers print.

async function run([command, ...args]: string[]): Promise<string> {
  if (command === 'bootstrap') return runBootstrap(args, process.env);
  const commands: Readonly<Record<string, (c: Connection) => Promise<string>>> = {
    tokens: (c) => runTokens(args, c),
    whoami: (c) => runWhoAmI(c),
    apply: (c) => runApply(args, c, process.env),
    export: (c) => runExport(args, c),
    scoreboard: (c) => runScoreboard(args, c),
    adjust: (c) => runAdjust(args, c),
    flip: (c) => runFlip(args, c),
    rescore: (c) => runRescore(args, c),
    audit: (c) => runAudit(args, c),
    pcr: (c) => runPcr(args, c),
    scores: (c) => runScores(args, c),
    teams: (c) => runTeams(args, c),
    services: (c) => runServices(args, c),
    errors: (c) => runErrors(args, c),
  };
  const handler = Object.hasOwn(commands, command ?? '') ? commands[command!] : undefined;
  if (handler === undefined) throw new UsageError(USAGE);
  const connection = connectFromEnv(process.env);
  try {
    return await handler(connection);
  } finally {
    connection.close();
  }
}

/** parseArgs' own refusals (unknown option, missing value) are TypeErrors with an ERR_ code. */
const isParseArgsError = (err: unknown): err is TypeError =>
  err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS');

try {
  console.log(await run(process.argv.slice(2)));
  process.exitCode = 0;
} catch (err) {
  if (err instanceof UsageError) {
    console.error(`usage: ${err.message}`);
    process.exitCode = 2;
  } else if (isParseArgsError(err)) {
    console.error(`usage: ${err.message} (checkwire without arguments lists every command)`);
    process.exitCode = 2;
  } else {
    if (isGrpcError(err)) console.error(`checkwire: ${status[err.code]}: ${err.details}`);
    else if (err instanceof EventFileError) console.error(err.message);
    else if (err instanceof CliError || err instanceof ConfigError) {
      console.error(`checkwire: ${err.message}`);
    } else console.error(`checkwire: unexpected error: ${firstLine(err)}`);
    process.exitCode = 1;
  }
}
