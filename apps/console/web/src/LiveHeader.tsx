import { Alert, Badge, Group, Title } from '@mantine/core';

/** A live page's title, its live/connecting badge, and why its stream stopped, if it did. */
export function LiveHeader(props: {
  title: string;
  live: boolean;
  failure: string | undefined;
  failureTitle: string;
}) {
  return (
    <>
      <Group justify="space-between">
        <Title order={2}>{props.title}</Title>
        <Badge color={props.live ? 'teal.9' : 'gray.8'} variant="outline" data-testid="live">
          {props.live ? 'live' : 'connecting…'}
        </Badge>
      </Group>
      {props.failure !== undefined && (
        <Alert color="red" role="alert" title={props.failureTitle}>
          {props.failure}
        </Alert>
      )}
    </>
  );
}
