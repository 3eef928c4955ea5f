import { Alert, Button, Group, Paper, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { api, ApiError, type RescoreResult, type Scoreboard } from './api';

/** "round 12 · 10:31:00" */
const roundLabel = (round: number, time: string) =>
  `round ${round} · ${new Date(time).toLocaleTimeString(undefined, { hourCycle: 'h23' })}`;

/** "2 teams changed: Alpha 100 → 90, Bravo 100 → 90 (4 services counted again)" */
function describe(result: RescoreResult, names: Map<number, string>): string {
  const counted = `${result.services} service${result.services === 1 ? '' : 's'} counted again`;
  if (result.changed.length === 0) return `No team’s points changed (${counted}).`;
  const n = result.changed.length;
  const teams = result.changed
    .map((t) => `${names.get(t.teamId) ?? `team ${t.teamId}`} ${t.pointsBefore} → ${t.pointsAfter}`)
    .join(', ');
  return `${n} team${n === 1 ? '' : 's'} changed: ${teams} (${counted}).`;
}

/**
 * The white team counts a recent round again, with a reason, under the rules as they are now
 * (after correcting a service's points, score cap or SLA rule). The scoreboard above follows by
 * itself; the audit log records it as rescore_round.
 */
export function RescoreForm({ board }: { board: Scoreboard }) {
  const [roundTime, setRoundTime] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok?: string; error?: string }>({});

  const byTime = new Map<string, number>();
  for (const t of board.teams)
    for (const r of t.recentRounds) if (r.time !== null) byTime.set(r.time, r.round);
  const rounds = [...byTime]
    .sort(([, a], [, b]) => b - a)
    .map(([time, round]) => ({ value: time, label: roundLabel(round, time) }));

  async function rescore(e: FormEvent) {
    e.preventDefault();
    setOutcome({});
    setBusy(true);
    try {
      const result = await api<RescoreResult>('/rescores', {
        method: 'POST',
        body: { roundTime: roundTime ?? '', reason },
      });
      const names = new Map(board.teams.map((t) => [t.teamId, t.name]));
      setOutcome({ ok: describe(result, names) });
      setReason('');
    } catch (err) {
      setOutcome({ error: err instanceof ApiError ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={3} size="h4">
          Re-score a round
        </Title>
        <Text size="sm" c="dimmed">
          Counts the round again from its recorded scores under each service’s points, score cap and
          SLA rule as they are now. Checks are not run again.
        </Text>
        <form onSubmit={(e) => void rescore(e)} aria-label="re-score a round">
          <Group align="end">
            <Select
              label="Round"
              placeholder={rounds.length === 0 ? 'no rounds yet' : 'choose a round'}
              data={rounds}
              value={roundTime}
              onChange={setRoundTime}
              w={240}
            />
            <TextInput
              label="Reason for re-scoring"
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              w={360}
            />
            <Button type="submit" loading={busy}>
              Re-score round
            </Button>
          </Group>
        </form>
        {outcome.ok !== undefined && (
          <Alert color="teal" data-testid="rescore-result">
            {outcome.ok}
          </Alert>
        )}
        {outcome.error !== undefined && (
          <Alert color="red" role="alert" title="Not re-scored">
            {outcome.error}
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}
