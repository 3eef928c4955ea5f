import {
  Alert,
  Button,
  Group,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { api, ApiError, type Team } from './api';
import { useApi } from './use-api';

interface PoolView {
  id: number;
  name: string;
  usernames: string[];
  createdAt: string | null;
}

/** "username:password" per line (the password may hold colons) → credentials. */
function parseCredentials(text: string) {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const colon = line.indexOf(':');
      return colon < 0
        ? { username: line, password: '' }
        : { username: line.slice(0, colon), password: line.slice(colon + 1) };
    });
}

/** Teams (renamed here; created by the competition file) and the credential pools checks draw from. */
export function TeamsPage() {
  const teams = useApi<Team[]>('/teams');
  const pools = useApi<PoolView[]>('/credential-pools');
  const [names, setNames] = useState<Record<number, string>>({});
  const [poolName, setPoolName] = useState('');
  const [poolCredentials, setPoolCredentials] = useState('');
  const [replacing, setReplacing] = useState<Record<number, string>>({});
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();

  const run = async (what: string, work: () => Promise<unknown>) => {
    setError(undefined);
    setDone(undefined);
    try {
      await work();
      setDone(what);
      teams.reload();
      pools.reload();
      return true;
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
      return false;
    }
  };

  async function createPool(e: FormEvent) {
    e.preventDefault();
    const ok = await run(`Pool "${poolName}" created`, () =>
      api('/credential-pools', {
        method: 'POST',
        body: { name: poolName, credentials: parseCredentials(poolCredentials) },
      }),
    );
    if (ok) {
      setPoolName('');
      setPoolCredentials('');
    }
  }

  return (
    <Stack>
      <Title order={2}>Teams and credential pools</Title>
      {done !== undefined && <Alert color="teal">{done}</Alert>}
      {(error ?? teams.error ?? pools.error) !== undefined && (
        <Alert color="red" role="alert" title="Not done">
          {error ?? teams.error ?? pools.error}
        </Alert>
      )}
      <Table withTableBorder striped aria-label="teams">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Id</Table.Th>
            <Table.Th scope="col">Name</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(teams.data ?? []).map((t) => (
            <Table.Tr key={t.id} data-testid={`team-${t.id}`}>
              <Table.Td>{t.id}</Table.Td>
              <Table.Td>
                <Group gap="xs">
                  <TextInput
                    aria-label={`Name of team ${t.id}`}
                    size="xs"
                    value={names[t.id] ?? t.name}
                    onChange={(e) => {
                      const value = e.currentTarget.value;
                      setNames((n) => ({ ...n, [t.id]: value }));
                    }}
                  />
                  {names[t.id] !== undefined && names[t.id] !== t.name && (
                    <Button
                      size="xs"
                      onClick={() =>
                        void run(`Team ${t.id} renamed`, () =>
                          api(`/teams/${t.id}`, { method: 'PATCH', body: { name: names[t.id] } }),
                        )
                      }
                    >
                      Rename
                    </Button>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>

      <Title order={3} size="h4">
        Credential pools
      </Title>
      <Text size="sm">Passwords are never shown: a pool’s credentials are replaced whole.</Text>
      {(pools.data ?? []).map((p) => (
        <Stack key={p.id} gap={4} data-testid={`pool-${p.name}`}>
          <Text fw={600}>
            {p.name}{' '}
            <Text span size="sm" c="dimmed">
              {p.usernames.length} credentials: {p.usernames.join(', ')}
            </Text>
          </Text>
          <Group align="end">
            <Textarea
              label={`New credentials for ${p.name}`}
              description="one username:password a line"
              autosize
              minRows={2}
              w={420}
              value={replacing[p.id] ?? ''}
              onChange={(e) => {
                const value = e.currentTarget.value;
                setReplacing((r) => ({ ...r, [p.id]: value }));
              }}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            />
            <Button
              variant="default"
              onClick={() =>
                void run(`Credentials of "${p.name}" replaced`, () =>
                  api(`/credential-pools/${p.id}/credentials`, {
                    method: 'PUT',
                    body: { credentials: parseCredentials(replacing[p.id] ?? '') },
                  }),
                ).then((ok) => ok && setReplacing((r) => ({ ...r, [p.id]: '' })))
              }
            >
              Replace credentials
            </Button>
          </Group>
        </Stack>
      ))}
      <form onSubmit={(e) => void createPool(e)} aria-label="new credential pool">
        <Group align="end">
          <TextInput
            label="New pool name"
            value={poolName}
            onChange={(e) => setPoolName(e.currentTarget.value)}
          />
          <Textarea
            label="Credentials"
            description="one username:password a line"
            autosize
            minRows={2}
            w={420}
            value={poolCredentials}
            onChange={(e) => setPoolCredentials(e.currentTarget.value)}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          />
          <Button type="submit">Create pool</Button>
        </Group>
      </form>
    </Stack>
  );
}
