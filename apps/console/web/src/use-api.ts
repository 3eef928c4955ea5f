import { useEffect, useState } from 'react';
import { api, ApiError } from './api';

export interface Loaded<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
}

export type Reloadable<T> = Loaded<T> & { reload: () => void };

/** GETs `path` (again whenever it changes, on reload(), and every `refreshMs` when given). */
export function useApi<T>(path: string | undefined, refreshMs?: number): Reloadable<T> {
  const [state, setState] = useState<Loaded<T>>({
    data: undefined,
    error: undefined,
    loading: true,
  });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (path === undefined) return;
    let cancelled = false;
    const load = () =>
      api<T>(path).then(
        (data) => !cancelled && setState({ data, error: undefined, loading: false }),
        (err: unknown) =>
          !cancelled &&
          setState((s) => ({
            ...s,
            error: err instanceof ApiError ? err.message : String(err),
            loading: false,
          })),
      );
    setState((s) => ({ ...s, loading: true }));
    void load();
    const timer = refreshMs === undefined ? undefined : setInterval(() => void load(), refreshMs);
    return () => {
      cancelled = true;
      if (timer !== undefined) clearInterval(timer);
    };
  }, [path, refreshMs, generation]);
  return { ...state, reload: () => setGeneration((g) => g + 1) };
}
