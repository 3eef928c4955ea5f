import { Alert, Badge, Group, Loader, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import type { StatusCell, Team } from './api';
import { cellState, STATE_COLOR, STATE_LABEL } from './cell-state';
import { useSession } from './session';
import { useApi } from './use-api';
import { useStatusFeed } from './use-status-feed';

const timeOf = (iso: string | null) =>
  iso === null ? 'never checked' : new Date(iso).toLocaleTimeString();

function Cell({ cell }: { cell: StatusCell }) {
  const state = cellState(cell);
  const why = state === 'admin-down' ? cell.downReason : (cell.lastScanError ?? '');
  return (
    <Group
      gap={6}
      wrap="nowrap"
      data-testid={`cell-${cell.teamId}-${cell.name}`}
      data-state={state}
    >
      <Tooltip label={why} disabled={why === ''} multiline maw={360}>
        <Badge color={STATE_COLOR[state]} variant="filled" radius="sm">
          {STATE_LABEL[state]}
        </Badge>
      </Tooltip>
      <Text size="xs" c="dimmed">
        {timeOf(cell.lastScanTime)}
      </Text>
      {cell.inProgress && <Loader size={14} aria-label="check in progress" data-testid="spinner" />}
    </Group>
  );
}

/** Teams × services, live: a spinner while a check runs, the last result and when it came. */
export function StatusPage() {
  const { me } = useSession();
  const feed = useStatusFeed(`${me?.role}:${me?.name}`);
  const teams = useApi<Team[]>('/teams');
  const cells = [...feed.cells.values()];
  const names = [...new Set(cells.map((c) => c.name))].sort();
  const byTeam = new Map<number, Map<string, StatusCell>>();
  for (const cell of cells) {
    const row = byTeam.get(cell.teamId) ?? new Map<string, StatusCell>();
    row.set(cell.name, cell);
    byTeam.set(cell.teamId, row);
  }
  const rows = (teams.data ?? []).filter((t) => byTeam.has(t.id));

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Service status</Title>
        <Badge color={feed.live ? 'teal' : 'gray'} variant="light" data-testid="live">
          {feed.live ? 'live' : 'connecting…'}
        </Badge>
      </Group>
      {feed.failure !== undefined && (
        <Alert color="red" role="alert" title="The live feed stopped">
          {feed.failure}
        </Alert>
      )}
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
                <Table.Tr key={team.id}>
                  <Table.Th scope="row">{team.name}</Table.Th>
                  {names.map((n) => {
                    const cell = byTeam.get(team.id)?.get(n);
                    return (
                      <Table.Td key={n}>{cell === undefined ? '' : <Cell cell={cell} />}</Table.Td>
                    );
                  })}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
