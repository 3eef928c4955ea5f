import { Paper, Stack, Table, Text, Title } from '@mantine/core';
import { LiveHeader } from './LiveHeader';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { Scoreboard } from './api';
import { RescoreForm } from './RescoreForm';
import { useSession } from './session';
import { useScoreboardFeed } from './use-scoreboard-feed';

/** Teams drawn on the chart: the leaders (and the viewer's own team). */
const CHARTED = 8;
const PALETTE = [
  '#4c6ef5',
  '#12b886',
  '#fa5252',
  '#fab005',
  '#7950f2',
  '#15aabf',
  '#e64980',
  '#82c91e',
  '#fd7e14',
];

/** Rounds on the chart (and offered for re-scoring). */
const RECENT_ROUNDS = 30;

const percent = (x: number) => `${(x * 100).toFixed(1)} %`;

type Standing = Scoreboard['teams'][number];

/** A team's points, with what adjustments added and SLA penalties took, when they did. */
function TeamPoints({ team }: { team: Standing }) {
  return (
    <>
      {team.points}
      {team.adjustmentPoints !== 0 && (
        <Text span size="xs" c="dimmed">
          {' '}
          ({team.adjustmentPoints > 0 ? '+' : ''}
          {team.adjustmentPoints} adjusted)
        </Text>
      )}
      {team.penaltyPoints > 0 && (
        <Text span size="xs" c="dimmed">
          {' '}
          (−{team.penaltyPoints} SLA)
        </Text>
      )}
    </>
  );
}

/** A service's points, and how its latest round went when that was not up. */
function ServicePoints({ service }: { service: Standing['services'][number] }) {
  const status = service.lastStatus;
  return (
    <>
      {service.points}
      {status !== null && status !== 'up' && (
        <Text span size="xs" c="dimmed" data-testid="last-status">
          {' '}
          {status}
        </Text>
      )}
    </>
  );
}

/** Ranks, points, uptime, per-service points and points per round, live. */
export function ScoreboardPage() {
  const { me } = useSession();
  const feed = useScoreboardFeed(`${me?.role}:${me?.name}`, RECENT_ROUNDS);
  const board = feed.board;
  const teams = board?.teams ?? [];
  const serviceNames = [...new Set(teams.flatMap((t) => t.services.map((s) => s.name)))].sort();
  const charted = teams.filter((t, i) => i < CHARTED || t.teamId === me?.teamId);
  const rounds = [...new Set(charted.flatMap((t) => t.recentRounds.map((r) => r.round)))].sort(
    (a, b) => a - b,
  );
  const series = rounds.map((round) => {
    const point: Record<string, number> = { round };
    for (const t of charted)
      point[t.name] = t.recentRounds.find((r) => r.round === round)?.points ?? 0;
    return point;
  });

  return (
    <Stack>
      <LiveHeader
        title="Scoreboard"
        live={feed.live}
        failure={feed.failure}
        failureTitle="The live scoreboard stopped"
      />
      {board !== undefined && (
        <Text size="sm" c="dimmed">
          {board.rounds} rounds
          {board.latestRoundTime !== null &&
            `, the latest at ${new Date(board.latestRoundTime).toLocaleTimeString()}`}
        </Text>
      )}
      <Table.ScrollContainer minWidth={480}>
        <Table withTableBorder striped aria-label="scoreboard">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Rank</Table.Th>
              <Table.Th scope="col">Team</Table.Th>
              <Table.Th scope="col">Points</Table.Th>
              <Table.Th scope="col">Uptime</Table.Th>
              {serviceNames.map((n) => (
                <Table.Th scope="col" key={n}>
                  {n}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {teams.map((t) => (
              <Table.Tr
                key={t.teamId}
                data-testid={`standing-${t.teamId}`}
                fw={t.teamId === me?.teamId ? 700 : undefined}
              >
                <Table.Td>{t.rank}</Table.Td>
                <Table.Th scope="row">{t.name}</Table.Th>
                <Table.Td>
                  <TeamPoints team={t} />
                </Table.Td>
                <Table.Td>{percent(t.uptime)}</Table.Td>
                {serviceNames.map((n) => {
                  const s = t.services.find((x) => x.name === n);
                  return (
                    <Table.Td key={n} data-testid={`points-${t.teamId}-${n}`}>
                      {s === undefined ? '' : <ServicePoints service={s} />}
                    </Table.Td>
                  );
                })}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {series.length > 0 && (
        <Paper withBorder p="md">
          <Title order={3} size="h4" mb="sm">
            Points per round
          </Title>
          <div
            style={{ width: '100%', height: 320 }}
            role="img"
            aria-label="points per round, by team"
          >
            <ResponsiveContainer>
              <LineChart data={series}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis
                  dataKey="round"
                  label={{ value: 'round', position: 'insideBottomRight', offset: -4 }}
                />
                <YAxis />
                <Tooltip />
                <Legend />
                {charted.map((t, i) => (
                  <Line
                    key={t.teamId}
                    type="linear"
                    dataKey={t.name}
                    stroke={PALETTE[i % PALETTE.length]}
                    strokeWidth={t.teamId === me?.teamId ? 3 : 1.5}
                    dot={{ r: 3 }}
                    isAnimationActive={false}
                  />
                ))}
              </LineChart>
            </ResponsiveContainer>
          </div>
        </Paper>
      )}
      {me?.role === 'admin' && board !== undefined && <RescoreForm board={board} />}
    </Stack>
  );
}
