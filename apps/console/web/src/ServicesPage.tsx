import { Alert, Badge, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { ServiceView, Team } from './api';
import { ServiceEditor } from './ServiceEditor';
import { useApi } from './use-api';

/** The white team's list of every service, each editable. */
export function ServicesPage() {
  const services = useApi<ServiceView[]>('/services');
  const teams = useApi<Team[]>('/teams');
  const [editing, setEditing] = useState<ServiceView>();
  const teamName = new Map((teams.data ?? []).map((t) => [t.id, t.name]));
  const seen = (s: ServiceView) =>
    [
      s.publicVisibility && 'public',
      s.blueVisibility && 'blue',
      s.redVisibility && 'red',
      s.greenVisibility && 'green',
    ]
      .filter(Boolean)
      .join(', ') || 'white team only';

  return (
    <Stack>
      <Title order={2}>Services</Title>
      {services.error !== undefined && (
        <Alert color="red" role="alert">
          {services.error}
        </Alert>
      )}
      <Table.ScrollContainer minWidth={720}>
        <Table withTableBorder striped aria-label="services">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Team</Table.Th>
              <Table.Th scope="col">Service</Table.Th>
              <Table.Th scope="col">Where</Table.Th>
              <Table.Th scope="col">Seen by</Table.Th>
              <Table.Th scope="col">Points / cap</Table.Th>
              <Table.Th scope="col">State</Table.Th>
              <Table.Th scope="col" />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(services.data ?? []).map((s) => (
              <Table.Tr key={s.id} data-testid={`service-${s.id}`}>
                <Table.Td>{teamName.get(s.teamId) ?? s.teamId}</Table.Td>
                <Table.Th scope="row">
                  {s.name}{' '}
                  <Text span size="xs" c="dimmed">
                    {s.subtype}
                  </Text>
                </Table.Th>
                <Table.Td>
                  {s.url} port {s.port}
                </Table.Td>
                <Table.Td>{seen(s)}</Table.Td>
                <Table.Td>
                  {s.points ?? 100} / {s.scoreCap ?? '—'}
                </Table.Td>
                <Table.Td>
                  {s.administrativelyDown ? (
                    <Badge color="dark" title={s.downReason}>
                      admin down{s.downReason !== '' && `: ${s.downReason}`}
                    </Badge>
                  ) : (
                    <Badge color="teal.9" variant="outline">
                      checked
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  <Group justify="flex-end">
                    <Button
                      size="xs"
                      variant="default"
                      onClick={() => setEditing(s)}
                      aria-label={`Edit ${s.name} of ${teamName.get(s.teamId) ?? s.teamId}`}
                    >
                      Edit
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {editing !== undefined && (
        <ServiceEditor
          service={editing}
          onClose={(saved) => {
            setEditing(undefined);
            if (saved) services.reload();
          }}
        />
      )}
    </Stack>
  );
}
