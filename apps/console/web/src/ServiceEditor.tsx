import {
  Alert,
  Button,
  Checkbox,
  Group,
  JsonInput,
  Modal,
  NumberInput,
  PasswordInput,
  SimpleGrid,
  Stack,
  TextInput,
} from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { api, ApiError, type ServiceView } from './api';

type Draft = Omit<ServiceView, 'id' | 'teamId' | 'hasPassword' | 'checkSettings'> & {
  password: string;
};

const settingsText = (s: Record<string, unknown>) =>
  Object.keys(s).length === 0 ? '' : JSON.stringify(s, null, 2);

const TEXT: [keyof Draft, string][] = [
  ['name', 'Name'],
  ['subtype', 'Subtype'],
  ['url', 'URL'],
  ['protocol', 'Protocol'],
  ['username', 'Username'],
  ['httpString', 'Expected HTTP content'],
  ['teamSpecificInfo', 'Team-specific info'],
  ['runnerPool', 'Runner pool (empty: default)'],
];
const FLAGS: [keyof Draft, string][] = [
  ['external', 'External (reports through the four actions)'],
  ['teamSpecific', 'Team-specific'],
  ['publicVisibility', 'Public can see it'],
  ['blueVisibility', 'Blue teams can see it'],
  ['redVisibility', 'Red team can see it'],
  ['greenVisibility', 'Green team can see it'],
];

/** Every seed field of one service; saves only what changed (the server checks each value). */
export function ServiceEditor({
  service,
  onClose,
}: {
  service: ServiceView;
  onClose: (saved: boolean) => void;
}) {
  const { checkSettings, ...fields } = service;
  const initial: Draft = { ...fields, password: '' };
  const [draft, setDraft] = useState<Draft>(initial);
  const [settings, setSettings] = useState(settingsText(checkSettings));
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));

  async function save(e: FormEvent) {
    e.preventDefault();
    const changed: Record<string, unknown> = {};
    for (const key of Object.keys(draft) as (keyof Draft)[]) {
      if (key === 'password' ? draft.password !== '' : draft[key] !== initial[key]) {
        changed[key] = draft[key] ?? null;
      }
    }
    if (settings !== settingsText(checkSettings)) {
      try {
        changed.checkSettings = settings.trim() === '' ? {} : (JSON.parse(settings) as unknown);
      } catch (err) {
        setError(`Check settings: not JSON (${(err as Error).message})`);
        return;
      }
    }
    if (Object.keys(changed).length === 0) return onClose(false);
    setBusy(true);
    setError(undefined);
    try {
      await api(`/services/${service.id}`, { method: 'PATCH', body: changed });
      onClose(true);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal opened onClose={() => onClose(false)} title={`Edit ${service.name}`} size="xl">
      <form onSubmit={(e) => void save(e)}>
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {TEXT.map(([key, label]) => (
              <TextInput
                key={key}
                label={label}
                value={String(draft[key] ?? '')}
                onChange={(e) => set(key, e.currentTarget.value as never)}
              />
            ))}
            <NumberInput
              label="Port"
              min={0}
              max={65535}
              value={draft.port}
              onChange={(v) => set('port', Number(v))}
            />
            <PasswordInput
              label="Password"
              placeholder={service.hasPassword ? 'set: leave empty to keep it' : 'none'}
              value={draft.password}
              onChange={(e) => set('password', e.currentTarget.value)}
              autoComplete="off"
            />
            <NumberInput
              label="Points per round up"
              min={0}
              value={draft.points ?? ''}
              onChange={(v) => set('points', v === '' ? undefined : Number(v))}
            />
            <NumberInput
              label="Score cap"
              min={0}
              placeholder="none"
              value={draft.scoreCap ?? ''}
              onChange={(v) => set('scoreCap', v === '' ? undefined : Number(v))}
            />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {FLAGS.map(([key, label]) => (
              <Checkbox
                key={key}
                label={label}
                checked={Boolean(draft[key])}
                onChange={(e) => set(key, e.currentTarget.checked as never)}
              />
            ))}
          </SimpleGrid>
          <JsonInput
            label="Check settings (JSON, as in the competition file's check_settings)"
            description={`Content rules and the HTTP, DNS and SQL checks' settings, e.g. {"expect": [{"contains": "Welcome"}], "http": {"status": [200]}}; empty: none`}
            placeholder="none"
            autosize
            minRows={2}
            maxRows={12}
            value={settings}
            onChange={setSettings}
            validationError="Not JSON"
          />
          <Checkbox
            label="Administratively down (refuses scores)"
            checked={draft.administrativelyDown}
            onChange={(e) => set('administrativelyDown', e.currentTarget.checked)}
          />
          <TextInput
            label="Down reason"
            value={draft.downReason}
            onChange={(e) => set('downReason', e.currentTarget.value)}
          />
          {error !== undefined && (
            <Alert color="red" role="alert" title="Not saved">
              {error}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => onClose(false)}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
