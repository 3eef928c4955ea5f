import {
  Alert,
  Badge,
  Button,
  Group,
  PasswordInput,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { api, ApiError, type PasswordChangeView, type ServiceView, type Team } from './api';
import { useSession } from './session';
import { useApi } from './use-api';
import { when } from './format';

const STATE_COLOR: Record<string, string> = { pending: 'yellow', applied: 'teal', rejected: 'red' };

/** A blue team asks for a service's password to change; the white team approves or rejects. */
export function PasswordChangesPage() {
  const { me } = useSession();
  const admin = me?.role === 'admin';
  const changes = useApi<PasswordChangeView[]>('/password-changes', 10_000);
  const services = useApi<ServiceView[]>('/services');
  const teams = useApi<Team[]>('/teams');
  const teamName = new Map((teams.data ?? []).map((t) => [t.id, t.name]));
  const serviceName = new Map((services.data ?? []).map((s) => [s.id, s.name]));
  const own = (services.data ?? []).filter((s) => s.teamId === me?.teamId);
  const [serviceId, setServiceId] = useState<string | null>(null);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [reasons, setReasons] = useState<Record<number, string>>({});
  const [error, setError] = useState<string>();
  const [sent, setSent] = useState<string>();

  const run = async (work: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await work();
      changes.reload();
      return true;
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
      return false;
    }
  };

  async function request(e: FormEvent) {
    e.preventDefault();
    const ok = await run(() =>
      api('/password-changes', {
        method: 'POST',
        body: { serviceId: serviceId === null ? null : Number(serviceId), username, password },
      }),
    );
    if (ok) {
      setSent(`Requested: ${username} on ${serviceName.get(Number(serviceId)) ?? serviceId}`);
      setPassword('');
    }
  }

  const decide = (id: number, approve: boolean) =>
    run(() =>
      api(`/password-changes/${id}/decision`, {
        method: 'POST',
        body: { approve, reason: reasons[id] ?? '' },
      }),
    );

  return (
    <Stack>
      <Title order={2}>Password changes</Title>
      {!admin && (
        <form onSubmit={(e) => void request(e)} aria-label="request a password change">
          <Group align="end">
            <Select
              label="Service"
              data={own.map((s) => ({ value: String(s.id), label: s.name }))}
              value={serviceId}
              onChange={setServiceId}
              w={200}
            />
            <TextInput
              label="Username"
              value={username}
              onChange={(e) => setUsername(e.currentTarget.value)}
            />
            <PasswordInput
              label="New password"
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              autoComplete="new-password"
            />
            <Button type="submit">Request change</Button>
          </Group>
        </form>
      )}
      {sent !== undefined && <Alert color="teal">{sent}</Alert>}
      {(error ?? changes.error) !== undefined && (
        <Alert color="red" role="alert" title="Not done">
          {error ?? changes.error}
        </Alert>
      )}
      {changes.data?.length === 0 && <Text>No request yet.</Text>}
      {changes.data !== undefined && changes.data.length > 0 && (
        <Table withTableBorder striped aria-label="password change requests">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Requested</Table.Th>
              <Table.Th scope="col">Team</Table.Th>
              <Table.Th scope="col">Service or pool</Table.Th>
              <Table.Th scope="col">Username</Table.Th>
              <Table.Th scope="col">State</Table.Th>
              <Table.Th scope="col">{admin ? 'Decision' : 'Reason'}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {changes.data.map((p) => (
              <Table.Tr key={p.id} data-testid={`pcr-${p.id}`}>
                <Table.Td>{when(p.requestTime)}</Table.Td>
                <Table.Td>{p.teamId === 0 ? '—' : (teamName.get(p.teamId) ?? p.teamId)}</Table.Td>
                <Table.Td>
                  {p.poolId !== 0
                    ? `pool ${p.poolName}`
                    : (serviceName.get(p.serviceId) ?? p.serviceId)}
                </Table.Td>
                <Table.Td>{p.username}</Table.Td>
                <Table.Td>
                  <Badge color={STATE_COLOR[p.state] ?? 'gray'}>{p.state}</Badge>
                </Table.Td>
                <Table.Td>
                  {admin && p.state === 'pending' ? (
                    <Group gap="xs" wrap="nowrap">
                      <TextInput
                        aria-label={`Reason for request ${p.id}`}
                        placeholder="reason"
                        size="xs"
                        value={reasons[p.id] ?? ''}
                        onChange={(e) => {
                          const value = e.currentTarget.value;
                          setReasons((r) => ({ ...r, [p.id]: value }));
                        }}
                      />
                      <Button size="xs" color="teal" onClick={() => void decide(p.id, true)}>
                        Approve
                      </Button>
                      <Button
                        size="xs"
                        color="red"
                        variant="light"
                        onClick={() => void decide(p.id, false)}
                      >
                        Reject
                      </Button>
                    </Group>
                  ) : (
                    p.decisionReason
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
