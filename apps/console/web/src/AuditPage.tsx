import {
  Alert,
  Button,
  Code,
  Group,
  NumberInput,
  Select,
  Stack,
  Table,
  TextInput,
  Title,
} from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { api, ApiError, type AuditView, type Team } from './api';
import { useApi } from './use-api';
import { when } from './format';

/** Point adjustments, and the audit log every white-team change writes (newest first). */
export function AuditPage() {
  const audit = useApi<{ entries: AuditView[]; nextPage: string | null }>('/audit', 10_000);
  const teams = useApi<Team[]>('/teams');
  const [teamId, setTeamId] = useState<string | null>(null);
  const [points, setPoints] = useState<number | string>('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();

  async function adjust(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    try {
      await api('/adjustments', {
        method: 'POST',
        body: { teamId: teamId === null ? null : Number(teamId), points: Number(points), reason },
      });
      setPoints('');
      setReason('');
      audit.reload();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  }

  return (
    <Stack>
      <Title order={2}>Adjustments and audit log</Title>
      <form onSubmit={(e) => void adjust(e)} aria-label="adjust points">
        <Group align="end">
          <Select
            label="Team"
            data={(teams.data ?? []).map((t) => ({ value: String(t.id), label: t.name }))}
            value={teamId}
            onChange={setTeamId}
            w={200}
          />
          <NumberInput label="Points (+ or −)" value={points} onChange={setPoints} w={140} />
          <TextInput
            label="Reason"
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            w={320}
          />
          <Button type="submit">Adjust points</Button>
        </Group>
      </form>
      {(error ?? audit.error) !== undefined && (
        <Alert color="red" role="alert" title="Not done">
          {error ?? audit.error}
        </Alert>
      )}
      <Table withTableBorder striped aria-label="audit log">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">When</Table.Th>
            <Table.Th scope="col">Who</Table.Th>
            <Table.Th scope="col">What</Table.Th>
            <Table.Th scope="col">Subject</Table.Th>
            <Table.Th scope="col">Reason</Table.Th>
            <Table.Th scope="col">Before → after</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(audit.data?.entries ?? []).map((e) => (
            <Table.Tr key={e.id} data-testid="audit-row">
              <Table.Td>{when(e.time)}</Table.Td>
              <Table.Td>{e.actor}</Table.Td>
              <Table.Td>{e.action}</Table.Td>
              <Table.Td>{e.subject}</Table.Td>
              <Table.Td>{e.reason}</Table.Td>
              <Table.Td>
                <Code>{e.before || '—'}</Code> → <Code>{e.after || '—'}</Code>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
