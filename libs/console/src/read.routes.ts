import { Hono, type Context } from 'hono';
import { ServiceErrorKind, serviceErrorKindFromJSON } from '@checkwire/proto';
import { Backend } from './backend.js';
import { tokenOf, type ConsoleDeps, type ConsoleEnv } from './console-env.js';
import { choiceParam, idParam, intParam, textParam, timeParam } from './query-params.js';
import { liveStream } from './live-stream.js';
import { errorView, kindName, scoreboardView } from './views.js';

const KINDS = Object.values(ServiceErrorKind)
  .filter((k): k is ServiceErrorKind => typeof k === 'number')
  .filter(
    (k) =>
      k !== ServiceErrorKind.SERVICE_ERROR_KIND_UNSPECIFIED && k !== ServiceErrorKind.UNRECOGNIZED,
  )
  .map(kindName);

/** Teams, the scoreboard (also live) and service errors, each read with the caller's own token. */
export function readRoutes(deps: ConsoleDeps): Hono<ConsoleEnv> {
  const routes = new Hono<ConsoleEnv>();
  const as = (session: ConsoleEnv['Variables']['session']) => Backend.as(tokenOf(session));

  routes.get('/teams', async (c) => {
    const { teams } = await deps.backend.admin.listTeams({}, as(c.get('session')));
    return c.json(teams.map((t) => ({ id: t.id, name: t.name })));
  });

  const recentRounds = (c: Context<ConsoleEnv>) => intParam(c.req.query(), 'rounds', 0, 100, 20);

  routes.get('/scoreboard', async (c) => {
    const board = await deps.backend.scoreboard.getScoreboard(
      { recentRounds: recentRounds(c) },
      as(c.get('session')),
    );
    return c.json(scoreboardView(board));
  });

  // Server-Sent Events fed by WatchScoreboard: a `scoreboard` event (as GET /scoreboard answers)
  // at once, then again whenever it changes; `failure` when the watch ends.
  routes.get('/scoreboard/stream', (c) =>
    liveStream(c, deps, async function* (call) {
      const watch = deps.backend.scoreboard.watchScoreboard(
        { recentRounds: recentRounds(c) },
        call,
      );
      for await (const { scoreboard } of watch) {
        if (scoreboard !== undefined)
          yield { event: 'scoreboard', data: scoreboardView(scoreboard) };
      }
    }),
  );

  routes.get('/errors', async (c) => {
    const q = c.req.query();
    const page = await deps.backend.status.listServiceErrors(
      {
        teamId: idParam(q, 'team'),
        serviceId: idParam(q, 'service'),
        subtype: textParam(q, 'subtype', 64) ?? '',
        kind: serviceErrorKindFromJSON(
          `SERVICE_ERROR_KIND_${(choiceParam(q, 'kind', KINDS) ?? 'unspecified').toUpperCase()}`,
        ),
        since: timeParam(q, 'since'),
        until: timeParam(q, 'until'),
        pageSize: intParam(q, 'limit', 1, 500, 100),
        pageToken: textParam(q, 'page', 200) ?? '',
      },
      as(c.get('session')),
    );
    return c.json({
      errors: page.serviceErrors.map((e) => errorView(e, deps.jaegerUrl)),
      nextPage: page.nextPageToken || null,
    });
  });
  return routes;
}
