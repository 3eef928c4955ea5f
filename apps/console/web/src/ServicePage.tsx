import {
  Alert,
  Badge,
  Button,
  Card,
  Code,
  Group,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useParams } from 'react-router';
import {
  Bar,
  BarChart,
  Cell as BarCell,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { api, ApiError, type ServiceErrorEntry, type ServiceView } from './api';
import { useSession } from './session';
import { useApi } from './use-api';
import { when } from './format';

interface ServiceDetail {
  service: ServiceView;
  scores: {
    id: number;
    result: number;
    errorMsg: string | null;
    createdAt: string | null;
    roundTime: string | null;
  }[];
  errors: ServiceErrorEntry[] | null;
}

/** One service: what it is, its recent checks on a small timeline, and (white team) its errors. */
export function ServicePage() {
  const { id = '' } = useParams();
  const { me } = useSession();
  const detail = useApi<ServiceDetail>(`/services/${encodeURIComponent(id)}`, 5000);
  const [reason, setReason] = useState('');
  const [flip, setFlip] = useState<{ ok?: string; error?: string }>({});
  const admin = me?.role === 'admin';

  async function flipRound(serviceId: number, roundTime: string) {
    setFlip({});
    try {
      const r = await api<{ up: boolean; points: number }>('/flips', {
        method: 'POST',
        body: { serviceId, roundTime, reason },
      });
      setFlip({
        ok: `The round of ${when(roundTime)} now counts as ${r.up ? 'up' : 'down'} (${r.points} points)`,
      });
      detail.reload();
    } catch (err) {
      setFlip({ error: err instanceof ApiError ? err.message : String(err) });
    }
  }
  if (detail.error !== undefined) {
    return (
      <Alert color="red" role="alert" title="Could not show this service">
        {detail.error}
      </Alert>
    );
  }
  if (detail.data === undefined) return null;
  const { service, scores, errors } = detail.data;
  const timeline = [...scores]
    .reverse()
    .map((s) => ({ time: when(s.createdAt), result: s.result }));
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>
          {service.name}{' '}
          <Text span c="dimmed">
            {service.subtype}
          </Text>
        </Title>
        {service.administrativelyDown && (
          <Badge color="dark">admin down: {service.downReason}</Badge>
        )}
      </Group>
      <Card withBorder>
        <Text size="sm">
          {service.url} port {service.port} ·{' '}
          {service.external ? 'external check' : 'checked by Checkwire'} · {service.points ?? 100}{' '}
          points a round up
          {service.scoreCap !== undefined && ` · scores capped at ${service.scoreCap}`}
        </Text>
      </Card>
      {timeline.length > 0 && (
        <div
          style={{ width: '100%', height: 140 }}
          role="img"
          aria-label="recent results, oldest first"
        >
          <ResponsiveContainer>
            <BarChart data={timeline}>
              <XAxis dataKey="time" hide />
              <YAxis
                allowDecimals={false}
                width={32}
                domain={[0, (max: number) => Math.max(1, max)]}
              />
              <Tooltip />
              <Bar dataKey="result" isAnimationActive={false} minPointSize={3}>
                {timeline.map((t, i) => (
                  <BarCell key={i} fill={t.result > 0 ? '#12b886' : '#fa5252'} />
                ))}
              </Bar>
            </BarChart>
          </ResponsiveContainer>
        </div>
      )}
      <Title order={3} size="h4">
        Recent checks
      </Title>
      {admin && (
        <TextInput
          label="Reason for flipping a round’s result"
          description="A flip turns the service’s result in that round the other way; it is in the audit log."
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          maw={520}
        />
      )}
      {flip.ok !== undefined && <Alert color="teal">{flip.ok}</Alert>}
      {flip.error !== undefined && (
        <Alert color="red" role="alert" title="Not flipped">
          {flip.error}
        </Alert>
      )}
      {scores.length === 0 ? (
        <Text>No result yet.</Text>
      ) : (
        <Table withTableBorder striped aria-label="recent checks">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">When</Table.Th>
              <Table.Th scope="col">Result</Table.Th>
              <Table.Th scope="col">Error</Table.Th>
              {admin && <Table.Th scope="col">Round</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {scores.map((s) => (
              <Table.Tr key={s.id} data-testid="check-row">
                <Table.Td>{when(s.createdAt)}</Table.Td>
                <Table.Td>
                  <Badge color={s.result > 0 ? 'teal' : 'red'}>
                    {s.result > 0 ? `up (${s.result})` : 'down'}
                  </Badge>
                </Table.Td>
                <Table.Td>{s.errorMsg ?? ''}</Table.Td>
                {admin && (
                  <Table.Td>
                    {s.roundTime !== null && (
                      <Button
                        size="xs"
                        variant="default"
                        onClick={() => void flipRound(service.id, s.roundTime!)}
                        aria-label={`Flip the round of ${when(s.roundTime)}`}
                      >
                        Flip
                      </Button>
                    )}
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {errors !== null && (
        <>
          <Title order={3} size="h4">
            Errors
          </Title>
          {errors.length === 0 ? (
            <Text>None.</Text>
          ) : (
            <Table withTableBorder striped aria-label="errors of this service">
              <Table.Tbody>
                {errors.map((e) => (
                  <Table.Tr key={e.id} data-testid="service-error">
                    <Table.Td>{when(e.createdAt)}</Table.Td>
                    <Table.Td>{e.kind}</Table.Td>
                    <Table.Td>
                      {e.message} {e.detail !== '' && <Code>{e.detail}</Code>}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </>
      )}
    </Stack>
  );
}
