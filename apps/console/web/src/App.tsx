import { Alert, AppShell, Button, Group, Loader, Text, Title } from '@mantine/core';
import { lazy, Suspense, type ReactNode } from 'react';
import { NavLink, Navigate, Route, Routes } from 'react-router';
import { SignInPage } from './SignInPage';

// Pages beyond the status page load when first opened: a spectator's first page stays small
// (the chart and highlighting libraries come with the pages that use them).
const ErrorsPage = lazy(() => import('./ErrorsPage').then((m) => ({ default: m.ErrorsPage })));
const JobPage = lazy(() => import('./JobPage').then((m) => ({ default: m.JobPage })));
const JobsPage = lazy(() => import('./JobsPage').then((m) => ({ default: m.JobsPage })));
const ScoreboardPage = lazy(() =>
  import('./ScoreboardPage').then((m) => ({ default: m.ScoreboardPage })),
);
const ServicesPage = lazy(() =>
  import('./ServicesPage').then((m) => ({ default: m.ServicesPage })),
);
const AuditPage = lazy(() => import('./AuditPage').then((m) => ({ default: m.AuditPage })));
const PasswordChangesPage = lazy(() =>
  import('./PasswordChangesPage').then((m) => ({ default: m.PasswordChangesPage })),
);
const ServicePage = lazy(() => import('./ServicePage').then((m) => ({ default: m.ServicePage })));
const TeamsPage = lazy(() => import('./TeamsPage').then((m) => ({ default: m.TeamsPage })));
const TokensPage = lazy(() => import('./TokensPage').then((m) => ({ default: m.TokensPage })));
import { StatusPage } from './StatusPage';
import { useSession } from './session';

/** A page link: the current page's is marked (for the eye and for screen readers: aria-current). */
function PageLink({ to, children }: { to: string; children: ReactNode }) {
  return (
    <Button component={NavLink} to={to} variant="subtle" size="compact-md" className="page-link">
      {children}
    </Button>
  );
}

const ROLE_LABEL: Record<string, string> = {
  admin: 'white team',
  blue: 'blue team',
  red: 'red team',
  green: 'green team',
  public: 'public',
};

export function App() {
  const { me, notice, signOut } = useSession();
  if (me === undefined) return <Loader m="xl" role="status" aria-label="loading" />;
  const admin = me.role === 'admin';
  /** A page only some roles may open; others are sent to sign in. */
  const allow = (may: boolean, page: ReactNode) =>
    may ? page : <Navigate to="/sign-in" replace />;
  return (
    <AppShell header={{ height: 56 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="lg" wrap="nowrap">
            <Title order={1} size="h3">
              Checkwire
            </Title>
            <nav aria-label="pages">
              <Group gap={4}>
                <PageLink to="/status">Service status</PageLink>
                <PageLink to="/scoreboard">Scoreboard</PageLink>
                {admin && <PageLink to="/errors">Errors</PageLink>}
                {admin && <PageLink to="/jobs">LC jobs</PageLink>}
                {admin && <PageLink to="/services">Services</PageLink>}
                {admin && <PageLink to="/teams">Teams</PageLink>}
                {admin && <PageLink to="/tokens">Tokens</PageLink>}
                {admin && <PageLink to="/audit">Audit</PageLink>}
                {(admin || me.role === 'blue') && (
                  <PageLink to="/password-changes">Password changes</PageLink>
                )}
              </Group>
            </nav>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Text size="sm" data-testid="who">
              {me.signedIn ? `${me.name} (${ROLE_LABEL[me.role] ?? me.role})` : 'public view'}
            </Text>
            {me.signedIn ? (
              <Button
                size="xs"
                variant="default"
                style={{ flexShrink: 0 }}
                onClick={() => void signOut()}
              >
                Sign out
              </Button>
            ) : (
              <Button size="xs" component={NavLink} to="/sign-in">
                Sign in
              </Button>
            )}
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Main>
        {notice !== undefined && !me.signedIn && (
          <Alert color="yellow" role="alert" title="You were signed out" mb="md">
            {notice}. Sign in again with a token that works; until then this is the public view.
          </Alert>
        )}
        <Suspense fallback={<Loader m="xl" role="status" aria-label="loading" />}>
          <Routes>
            <Route path="/sign-in" element={<SignInPage />} />
            <Route path="/status" element={<StatusPage />} />
            <Route path="/scoreboard" element={<ScoreboardPage />} />
            <Route path="/errors" element={allow(admin, <ErrorsPage />)} />
            <Route path="/jobs" element={allow(admin, <JobsPage />)} />
            <Route path="/jobs/:id" element={allow(admin, <JobPage />)} />
            <Route path="/services" element={allow(admin, <ServicesPage />)} />
            <Route path="/tokens" element={allow(admin, <TokensPage />)} />
            <Route path="/audit" element={allow(admin, <AuditPage />)} />
            <Route
              path="/password-changes"
              element={allow(admin || me.role === 'blue', <PasswordChangesPage />)}
            />
            <Route path="/service/:id" element={<ServicePage />} />
            <Route path="/teams" element={allow(admin, <TeamsPage />)} />
            <Route path="*" element={<Navigate to="/status" replace />} />
          </Routes>
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
