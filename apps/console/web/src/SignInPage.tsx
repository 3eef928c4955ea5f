import { Alert, Anchor, Button, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { ApiError } from './api';
import { useSession } from './session';

export function SignInPage() {
  const { signIn } = useSession();
  const navigate = useNavigate();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await signIn(token);
      void navigate('/status');
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Paper maw={480} mx="auto" mt="xl" p="lg" withBorder>
      <form onSubmit={(e) => void submit(e)}>
        <Stack>
          <Title order={2}>Sign in</Title>
          <Text size="sm">
            Paste the Checkwire token the white team gave you. It stays on the console’s server;
            your browser keeps only a session cookie.
          </Text>
          <PasswordInput
            label="Token"
            value={token}
            onChange={(e) => setToken(e.currentTarget.value)}
            autoComplete="off"
            required
            autoFocus
          />
          {error !== undefined && (
            <Alert color="red" title="Not signed in" role="alert">
              {error}
            </Alert>
          )}
          <Button type="submit" loading={busy}>
            Sign in
          </Button>
          <Anchor component={Link} to="/status" size="sm">
            Continue without signing in (public view)
          </Anchor>
        </Stack>
      </form>
    </Paper>
  );
}
