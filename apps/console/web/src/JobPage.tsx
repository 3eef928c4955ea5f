import { Alert, Badge, Card, Group, Stack, Text, Timeline, Title } from '@mantine/core';
import { useParams } from 'react-router';
import { AttachmentBlock } from './Attachment';
import { useJobFeed } from './use-job-feed';
import { when } from './format';

/** One job: what it is about, and its narration with attachments, live while it is open. */
export function JobPage() {
  const { id = '' } = useParams();
  const { job, live, failure } = useJobFeed(id);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Job {id.slice(0, 8)}</Title>
        {job !== undefined && (
          <Group gap="xs">
            <Badge color={job.endTime === null ? 'teal' : 'gray'} data-testid="job-state">
              {job.endTime === null ? 'open' : 'closed'}
            </Badge>
            {job.endTime === null && (
              <Badge variant="outline" color={live ? 'teal.9' : 'gray.8'}>
                {live ? 'live' : 'connecting…'}
              </Badge>
            )}
          </Group>
        )}
      </Group>
      {failure !== undefined && (
        <Alert color="red" role="alert" title="Could not follow this job">
          {failure}
        </Alert>
      )}
      {job !== undefined && (
        <>
          <Card withBorder>
            <Text>
              <b>Cause:</b> {job.cause}
            </Text>
            <Text size="sm">
              Org {job.oid || '(global)'} · service {job.serviceName} · started{' '}
              {when(job.startTime)}
              {job.endTime !== null && ` · closed ${when(job.endTime)}`}
            </Text>
            <Text size="sm">
              Sensors: {job.sensorIds.length === 0 ? 'none' : job.sensorIds.join(', ')}
            </Text>
          </Card>
          <Timeline bulletSize={14} lineWidth={2} aria-label="narration">
            {job.narration.map((n, i) => (
              <Timeline.Item
                key={n.id ?? i}
                title={n.message}
                color={n.important ? 'red' : 'indigo'}
                data-testid="narration"
              >
                <Text size="xs" c="dimmed">
                  {when(n.time)}
                  {n.important && ' · important'}
                </Text>
                {n.attachments.map((a, k) => (
                  <AttachmentBlock key={k} attachment={a} />
                ))}
              </Timeline.Item>
            ))}
          </Timeline>
        </>
      )}
    </Stack>
  );
}
