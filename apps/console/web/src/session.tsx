import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, SIGNED_OUT_EVENT, type Me } from './api';

interface SessionState {
  me: Me | undefined;
  /** Why this browser was signed out without asking (its token stopped working). */
  notice: string | undefined;
  signIn: (token: string) => Promise<void>;
  signOut: () => Promise<void>;
  /** Asks the console again (after it answered 401: the token was revoked). */
  refresh: () => Promise<void>;
}

const SessionContext = createContext<SessionState | undefined>(undefined);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me>();
  const [notice, setNotice] = useState<string>();
  const refresh = useCallback(async () => setMe(await api<Me>('/session')), []);
  useEffect(() => {
    void refresh();
    const onSignedOut = (e: Event) => {
      setNotice((e as CustomEvent<string>).detail);
      void refresh();
    };
    window.addEventListener(SIGNED_OUT_EVENT, onSignedOut);
    return () => window.removeEventListener(SIGNED_OUT_EVENT, onSignedOut);
  }, [refresh]);
  const signIn = useCallback(async (token: string) => {
    setMe(await api<Me>('/session', { method: 'POST', body: { token } }));
    setNotice(undefined);
  }, []);
  const signOut = useCallback(async () => {
    setMe(await api<Me>('/session', { method: 'DELETE' }));
  }, []);
  return (
    <SessionContext.Provider value={{ me, notice, signIn, signOut, refresh }}>
      {children}
    </SessionContext.Provider>
  );
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (state === undefined) throw new Error('useSession outside SessionProvider');
  return state;
}
