import { Hono } from 'hono';
import { ServiceErrorKind, serviceErrorKindFromJSON } from '@checkwire/proto';
import { Backend } from './backend.js';
import { tokenOf, type ConsoleDeps, type ConsoleEnv } from './console-env.js';
import { choiceParam, idParam, intParam, textParam, timeParam } from './query-params.js';
import { errorView, kindName } from './views.js';

const KINDS = Object.values(ServiceErrorKind)
  .filter((k): k is ServiceErrorKind => typeof k === 'number')
  .filter(
    (k) =>
      k !== ServiceErrorKind.SERVICE_ERROR_KIND_UNSPECIFIED && k !== ServiceErrorKind.UNRECOGNIZED,
  )
  .map(kindName);

/** Teams, the scoreboard and service errors, each read with the caller's own token. */
export function readRoutes(deps: ConsoleDeps): Hono<ConsoleEnv> {
  const routes = new Hono<ConsoleEnv>();
  const as = (session: ConsoleEnv['Variables']['session']) => Backend.as(tokenOf(session));

  routes.get('/teams', async (c) => {
    const { teams } = await deps.backend.admin.listTeams({}, as(c.get('session')));
    return c.json(teams.map((t) => ({ id: t.id, name: t.name })));
  });

  routes.get('/scoreboard', async (c) => {
    const rounds = intParam(c.req.query(), 'rounds', 0, 100, 20);
    const board = await deps.backend.scoreboard.getScoreboard(
      { recentRounds: rounds },
      as(c.get('session')),
    );
    return c.json({
      rounds: board.rounds,
      latestRoundTime: board.latestRoundTime?.toISOString() ?? null,
      teams: board.teams.map((t) => ({
        teamId: t.teamId,
        name: t.teamName,
        rank: t.rank,
        points: t.points,
        uptime: t.uptime,
        adjustmentPoints: t.adjustmentPoints,
        services: t.services.map((s) => ({
          serviceId: s.serviceId,
          name: s.name,
          subtype: s.subtype,
          points: s.points,
          uptime: s.uptime,
          lastUp: s.lastUp,
        })),
        recentRounds: t.recentRounds.map((r) => ({ round: r.roundNumber, points: r.points })),
      })),
    });
  });

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
