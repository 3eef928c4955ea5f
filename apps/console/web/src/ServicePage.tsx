import { Alert, Badge, Card, Code, Group, Stack, Table, Text, Title } from '@mantine/core';
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
import type { ServiceErrorEntry, ServiceView } from './api';
import { useApi } from './use-api';
import { when } from './format';

interface ServiceDetail {
  service: ServiceView;
  scores: { id: number; result: number; errorMsg: string | null; createdAt: string | null }[];
  errors: ServiceErrorEntry[] | null;
}

/** One service: what it is, its recent checks on a small timeline, and (white team) its errors. */
export function ServicePage() {
  const { id = '' } = useParams();
  const detail = useApi<ServiceDetail>(`/services/${encodeURIComponent(id)}`, 5000);
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
      {scores.length === 0 ? (
        <Text>No result yet.</Text>
      ) : (
        <Table withTableBorder striped aria-label="recent checks">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">When</Table.Th>
              <Table.Th scope="col">Result</Table.Th>
              <Table.Th scope="col">Error</Table.Th>
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
