import { browserRuntime } from '../../lib/platform/runtime';
import { listenForChanges } from '../../lib/protocol/changes';
import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * Loads data from the background and keeps it fresh: again after each action, when the tab regains focus
 * (an action in another tab or the side panel), and every `everyMs`. The last answer wins.
 */
export function useRefresh<T>(load: () => Promise<T>, everyMs = 15_000) {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const seq = useRef(0);
  const refresh = useCallback(async () => {
    const mine = ++seq.current;
    try {
      const value = await load();
      if (mine === seq.current) {
        setData(value);
        setError(undefined);
      }
    } catch (e) {
      if (mine === seq.current) setError(e instanceof Error ? e.message : String(e));
    }
  }, [load]);
  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), everyMs);
    const onFocus = () => void refresh();
    // The background says something changed (a send, a reply, an action in another tab).
    const stopListening = listenForChanges(browserRuntime(), () => void refresh());
    window.addEventListener('focus', onFocus);
    document.addEventListener('visibilitychange', onFocus);
    return () => {
      stopListening();
      clearInterval(timer);
      window.removeEventListener('focus', onFocus);
      document.removeEventListener('visibilitychange', onFocus);
    };
  }, [refresh, everyMs]);
  return { data, error, refresh };
}

/** The clock the panels render against, ticking each minute so "in 5 minutes" stays true. */
export function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(t);
  }, []);
  return now;
}
