import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  SegmentedControl,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { Link, useSearchParams } from 'react-router';
import type { JobView } from './api';
import { useApi } from './use-api';
import { when } from './format';

/** LimaCharlie jobs by org and state, newest first. */
export function JobsPage() {
  const [params, setParams] = useSearchParams();
  const oid = params.get('oid') ?? '';
  const state = params.get('state') ?? '';
  const query = new URLSearchParams();
  for (const f of ['oid', 'state', 'page']) {
    const v = params.get(f);
    if (v !== null && v !== '') query.set(f, v);
  }
  const list = useApi<{ jobs: JobView[]; nextPage: string | null }>(`/jobs?${query}`, 5000);
  const set = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value === '') next.delete(name);
    else next.set(name, value);
    if (name !== 'page') next.delete('page');
    setParams(next);
  };

  return (
    <Stack>
      <Title order={2}>LimaCharlie jobs</Title>
      <Group align="end">
        <TextInput
          label="Organisation (oid)"
          placeholder="every org"
          value={oid}
          onChange={(e) => set('oid', e.currentTarget.value)}
          w={320}
        />
        <SegmentedControl
          aria-label="State"
          value={state}
          onChange={(v) => set('state', v)}
          data={[
            { value: '', label: 'all' },
            { value: 'open', label: 'open' },
            { value: 'closed', label: 'closed' },
          ]}
        />
      </Group>
      {list.error !== undefined && (
        <Alert color="red" role="alert" title="Could not list jobs">
          {list.error}
        </Alert>
      )}
      {list.data?.jobs.length === 0 && <Text>No job matches.</Text>}
      {list.data !== undefined && list.data.jobs.length > 0 && (
        <Table withTableBorder striped aria-label="jobs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Started</Table.Th>
              <Table.Th scope="col">Org</Table.Th>
              <Table.Th scope="col">Service</Table.Th>
              <Table.Th scope="col">Cause</Table.Th>
              <Table.Th scope="col">Sensors</Table.Th>
              <Table.Th scope="col">State</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.jobs.map((j) => (
              <Table.Tr key={j.id} data-testid="job-row">
                <Table.Td>
                  <Anchor component={Link} to={`/jobs/${j.id}`}>
                    {when(j.startTime)}
                  </Anchor>
                </Table.Td>
                <Table.Td>{j.oid || '(global)'}</Table.Td>
                <Table.Td>{j.serviceName}</Table.Td>
                <Table.Td>{j.cause}</Table.Td>
                <Table.Td>{j.sensorIds.length}</Table.Td>
                <Table.Td>
                  <Badge color={j.endTime === null ? 'teal' : 'gray'}>
                    {j.endTime === null ? 'open' : 'closed'}
                  </Badge>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {list.data?.nextPage != null && (
        <Button variant="default" onClick={() => set('page', list.data?.nextPage ?? '')}>
          Older jobs
        </Button>
      )}
    </Stack>
  );
}
