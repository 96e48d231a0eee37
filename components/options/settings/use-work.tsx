import { useState } from 'react';

/** Busy flag and error message around one async action of a section. */
export function useWork() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  async function run<T>(work: () => Promise<T>): Promise<T | undefined> {
    setBusy(true);
    setError(undefined);
    try {
      return await work();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      return undefined;
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, run };
}

export function ErrorLine({ error }: { error?: string }) {
  return error ? (
    <p className="error" role="alert" style={{ whiteSpace: 'pre-line' }}>
      {error}
    </p>
  ) : null;
}
