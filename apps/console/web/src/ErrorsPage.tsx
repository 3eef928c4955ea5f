import {
  Alert,
  Anchor,
  Button,
  Code,
  Group,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { Link, useSearchParams } from 'react-router';
import type { ServiceErrorEntry, Team } from './api';
import { useApi } from './use-api';

const KINDS = ['timeout', 'content', 'credentials', 'connection', 'other', 'no_runner'];
const FILTERS = ['team', 'service', 'subtype', 'kind', 'since', 'until', 'page'] as const;

/** `datetime-local` input value ↔ the API's ISO instant. */
const toIso = (local: string) => (local === '' ? '' : new Date(local).toISOString());
const toLocal = (iso: string | null) => {
  if (iso === null || iso === '') return '';
  const d = new Date(iso);
  // A hand-edited URL may hold anything: the field shows empty, and the API's refusal says why.
  if (Number.isNaN(d.getTime())) return '';
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

/** The white team's view of every ServiceError, filtered by the URL's query (so it can be shared). */
export function ErrorsPage() {
  const [params, setParams] = useSearchParams();
  const query = new URLSearchParams();
  for (const f of FILTERS) {
    const v = params.get(f);
    if (v !== null && v !== '') query.set(f, v);
  }
  const list = useApi<{ errors: ServiceErrorEntry[]; nextPage: string | null }>(`/errors?${query}`);
  const teams = useApi<Team[]>('/teams');
  const teamName = new Map((teams.data ?? []).map((t) => [t.id, t.name]));

  const set = (name: (typeof FILTERS)[number], value: string | null) => {
    const next = new URLSearchParams(params);
    if (value === null || value === '') next.delete(name);
    else next.set(name, value);
    if (name !== 'page') next.delete('page');
    setParams(next);
  };

  return (
    <Stack>
      <Title order={2}>Service errors</Title>
      <Group align="end" wrap="wrap">
        <Select
          label="Team"
          placeholder="every team"
          clearable
          searchable
          data={(teams.data ?? []).map((t) => ({ value: String(t.id), label: t.name }))}
          value={params.get('team')}
          onChange={(v) => set('team', v)}
        />
        <TextInput
          label="Service id"
          placeholder="every service"
          value={params.get('service') ?? ''}
          onChange={(e) => set('service', e.currentTarget.value)}
          w={120}
        />
        <TextInput
          label="Subtype"
          placeholder="e.g. HTTP"
          value={params.get('subtype') ?? ''}
          onChange={(e) => set('subtype', e.currentTarget.value)}
          w={120}
        />
        <Select
          label="Kind"
          placeholder="every kind"
          clearable
          data={KINDS}
          value={params.get('kind')}
          onChange={(v) => set('kind', v)}
          w={150}
        />
        <TextInput
          type="datetime-local"
          label="Since"
          value={toLocal(params.get('since'))}
          onChange={(e) => set('since', toIso(e.currentTarget.value))}
        />
        <TextInput
          type="datetime-local"
          label="Until"
          value={toLocal(params.get('until'))}
          onChange={(e) => set('until', toIso(e.currentTarget.value))}
        />
      </Group>
      {list.error !== undefined && (
        <Alert color="red" role="alert" title="Could not list errors">
          {list.error}
        </Alert>
      )}
      {list.data?.errors.length === 0 && <Text>No error matches.</Text>}
      {list.data !== undefined && list.data.errors.length > 0 && (
        <Table.ScrollContainer minWidth={720}>
          <Table withTableBorder striped aria-label="service errors" verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">When</Table.Th>
                <Table.Th scope="col">Team</Table.Th>
                <Table.Th scope="col">Service</Table.Th>
                <Table.Th scope="col">Kind</Table.Th>
                <Table.Th scope="col">Message and detail</Table.Th>
                <Table.Th scope="col">Score</Table.Th>
                <Table.Th scope="col">Trace</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.errors.map((e) => (
                <Table.Tr key={e.id} data-testid="error-row">
                  <Table.Td>
                    {e.createdAt === null ? '' : new Date(e.createdAt).toLocaleString()}
                  </Table.Td>
                  <Table.Td>{teamName.get(e.teamId) ?? e.teamId}</Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/service/${e.serviceId}`}>
                      {e.serviceName}
                    </Anchor>{' '}
                    <Text span size="xs" c="dimmed">
                      {e.subtype}
                    </Text>
                  </Table.Td>
                  <Table.Td>{e.kind}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{e.message}</Text>
                    {e.detail !== '' && (
                      <Code block mt={4}>
                        {e.detail}
                      </Code>
                    )}
                  </Table.Td>
                  <Table.Td>#{e.scoreId}</Table.Td>
                  <Table.Td>
                    {e.traceUrl !== null ? (
                      <Anchor href={e.traceUrl} target="_blank" rel="noreferrer">
                        {e.traceId?.slice(0, 8)}…
                      </Anchor>
                    ) : (
                      <Code>{e.traceId ?? '—'}</Code>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {list.data?.nextPage != null && (
        <Button variant="default" onClick={() => set('page', list.data?.nextPage ?? null)}>
          Older errors
        </Button>
      )}
    </Stack>
  );
}
