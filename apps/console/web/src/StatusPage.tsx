import { Alert, Badge, Group, Loader, Stack, Table, Text, Tooltip } from '@mantine/core';
import { LiveHeader } from './LiveHeader';
import { memo, useMemo } from 'react';
import { Link } from 'react-router';
import type { StatusCell, Team } from './api';
import { cellState, STATE_COLOR, STATE_LABEL } from './cell-state';
import { useSession } from './session';
import { useApi } from './use-api';
import { useStatusFeed } from './use-status-feed';

const timeOf = (iso: string | null) =>
  iso === null ? 'never checked' : new Date(iso).toLocaleTimeString();

/** Re-rendered only when its service changed (unchanged cells keep their object). */
const Cell = memo(function Cell({ cell }: { cell: StatusCell }) {
  const state = cellState(cell);
  const why = state === 'admin-down' ? cell.downReason : (cell.lastScanError ?? '');
  // How much of its points a partial result earned: "4/10".
  const share = state === 'partial' ? `${cell.lastScan}/${cell.scoreCap}` : undefined;
  return (
    <Group
      gap={6}
      wrap="nowrap"
      data-testid={`cell-${cell.teamId}-${cell.name}`}
      data-state={state}
    >
      <Tooltip label={why} disabled={why === ''} multiline maw={360}>
        <Badge
          component={Link}
          to={`/service/${cell.serviceId}`}
          color={STATE_COLOR[state]}
          variant="filled"
          radius="sm"
          style={{ cursor: 'pointer', flexShrink: 0 }}
          aria-label={`${cell.name}: ${STATE_LABEL[state]}${share === undefined ? '' : ` ${share}`} (open its page)`}
        >
          {STATE_LABEL[state]}
        </Badge>
      </Tooltip>
      <Text size="xs" c="dimmed">
        {share !== undefined && `${share} · `}
        {timeOf(cell.lastScanTime)}
      </Text>
      {cell.inProgress && (
        <Loader size={14} role="img" aria-label="check in progress" data-testid="spinner" />
      )}
    </Group>
  );
});

/** One team's row: drawn again only when one of its services changed (or the columns did). */
const TeamRow = memo(function TeamRow({
  team,
  names,
  row,
}: {
  team: Team;
  names: string[];
  row: Map<string, StatusCell>;
}) {
  return (
    <Table.Tr>
      <Table.Th scope="row">{team.name}</Table.Th>
      {names.map((n) => {
        const cell = row.get(n);
        return <Table.Td key={n}>{cell === undefined ? '' : <Cell cell={cell} />}</Table.Td>;
      })}
    </Table.Tr>
  );
});

/** Teams × services, live: a spinner while a check runs, the last result and when it came. */
export function StatusPage() {
  const { me } = useSession();
  const feed = useStatusFeed(`${me?.role}:${me?.name}`);
  const teams = useApi<Team[]>('/teams');
  const key = [...new Set([...feed.byTeam.values()].flatMap((r) => [...r.keys()]))]
    .sort()
    .join('\n');
  // The same columns keep the same array, so unchanged rows are not drawn again.
  const names = useMemo(() => (key === '' ? [] : key.split('\n')), [key]);
  const rows = (teams.data ?? []).filter((t) => (feed.byTeam.get(t.id)?.size ?? 0) > 0);

  return (
    <Stack>
      <LiveHeader
        title="Service status"
        live={feed.live}
        failure={feed.failure}
        failureTitle="The live feed stopped"
      />
      {teams.error !== undefined && (
        <Alert color="red" role="alert">
          {teams.error}
        </Alert>
      )}
      {feed.live && rows.length === 0 && <Text>No service you may see yet.</Text>}
      {rows.length > 0 && (
        <Table.ScrollContainer minWidth={480}>
          <Table striped withTableBorder stickyHeader aria-label="service status by team">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Team</Table.Th>
                {names.map((n) => (
                  <Table.Th scope="col" key={n}>
                    {n}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((team) => (
                <TeamRow key={team.id} team={team} names={names} row={feed.byTeam.get(team.id)!} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
