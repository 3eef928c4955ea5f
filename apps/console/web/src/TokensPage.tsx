import {
  Alert,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  Select,
  Stack,
  Switch,
  Table,
  TextInput,
  Title,
} from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { api, ApiError, type Team, type TokenView } from './api';
import { useApi } from './use-api';
import { when } from './format';

const ROLES = ['admin', 'blue', 'red', 'green', 'check_runner', 'scheduler', 'lc_gateway'];

/** API tokens: who holds which, a new one (its secret shown once), revoking one. */
export function TokensPage() {
  const [showRevoked, setShowRevoked] = useState(false);
  const tokens = useApi<TokenView[]>(`/tokens${showRevoked ? '?revoked=true' : ''}`);
  const teams = useApi<Team[]>('/teams');
  const [name, setName] = useState('');
  const [role, setRole] = useState<string | null>('blue');
  const [teamId, setTeamId] = useState<string | null>(null);
  const [created, setCreated] = useState<{ name: string; secret: string }>();
  const [error, setError] = useState<string>();
  const teamName = new Map((teams.data ?? []).map((t) => [t.id, t.name]));

  async function create(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    try {
      const answer = await api<{ token: TokenView; secret: string }>('/tokens', {
        method: 'POST',
        body: { name, role, teamId: role === 'blue' && teamId !== null ? Number(teamId) : null },
      });
      setCreated({ name: answer.token.name, secret: answer.secret });
      setName('');
      tokens.reload();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  }

  async function revoke(token: TokenView) {
    if (!window.confirm(`Revoke "${token.name}"? Whoever holds it can no longer use it.`)) return;
    setError(undefined);
    try {
      await api(`/tokens/${token.id}/revoke`, { method: 'POST' });
      tokens.reload();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  }

  return (
    <Stack>
      <Title order={2}>API tokens</Title>
      <form onSubmit={(e) => void create(e)}>
        <Group align="end">
          <TextInput
            label="Name"
            placeholder="alice, runner-eu-1"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            required
          />
          <Select
            label="Role"
            data={ROLES}
            value={role}
            onChange={setRole}
            allowDeselect={false}
            w={160}
          />
          {role === 'blue' && (
            <Select
              label="Team"
              placeholder="the member's team"
              data={(teams.data ?? []).map((t) => ({ value: String(t.id), label: t.name }))}
              value={teamId}
              onChange={setTeamId}
              w={200}
            />
          )}
          <Button type="submit">Create token</Button>
        </Group>
      </form>
      {created !== undefined && (
        <Alert
          color="teal"
          title={`Token "${created.name}" created: copy it now, it is not shown again`}
          withCloseButton
          onClose={() => setCreated(undefined)}
        >
          <Group>
            <Code data-testid="new-secret">{created.secret}</Code>
            <CopyButton value={created.secret}>
              {({ copied, copy }) => (
                <Button size="xs" variant="light" onClick={copy}>
                  {copied ? 'Copied' : 'Copy'}
                </Button>
              )}
            </CopyButton>
          </Group>
        </Alert>
      )}
      {(error ?? tokens.error) !== undefined && (
        <Alert color="red" role="alert">
          {error ?? tokens.error}
        </Alert>
      )}
      <Switch
        label="Show revoked tokens"
        checked={showRevoked}
        onChange={(e) => setShowRevoked(e.currentTarget.checked)}
      />
      <Table withTableBorder striped aria-label="tokens">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Name</Table.Th>
            <Table.Th scope="col">Role</Table.Th>
            <Table.Th scope="col">Starts with</Table.Th>
            <Table.Th scope="col">Created</Table.Th>
            <Table.Th scope="col" />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(tokens.data ?? []).map((t) => (
            <Table.Tr key={t.id} data-testid={`token-${t.name}`}>
              <Table.Th scope="row">{t.name}</Table.Th>
              <Table.Td>
                {t.role}
                {t.teamId !== null && ` (${teamName.get(t.teamId) ?? `team ${t.teamId}`})`}
              </Table.Td>
              <Table.Td>
                <Code>{t.prefix}…</Code>
              </Table.Td>
              <Table.Td>{when(t.createTime)}</Table.Td>
              <Table.Td>
                {t.revokeTime !== null ? (
                  <Badge color="gray">revoked {when(t.revokeTime)}</Badge>
                ) : (
                  <Button
                    size="xs"
                    color="red"
                    variant="light"
                    onClick={() => void revoke(t)}
                    aria-label={`Revoke ${t.name}`}
                  >
                    Revoke
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
