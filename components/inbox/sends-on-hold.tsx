import { useCallback } from 'react';
import { SendsOnHold } from '@/components/sends-on-hold/sends-on-hold';
import type { Runtime } from '../../lib/protocol/endpoints';
import { ask } from '../../lib/protocol/inbox-client';
import { useNow, useRefresh } from './use-refresh';

const repZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/**
 * The "sends are on hold" banner fed by the background: asked again with the panel's data (each change notice,
 * focus, every 15 s), so it goes once the backend answers. A failed ask shows nothing: the panel below
 * already says when the background cannot be reached.
 */
export function SendsOnHoldNotice({ runtime }: { runtime: Runtime }) {
  const now = useNow();
  const load = useCallback(() => ask(runtime, 'sends.hold', {}), [runtime]);
  const { data } = useRefresh(load);
  return (
    <SendsOnHold
      hold={data?.hold}
      now={now}
      repTimeZone={repZone()}
      onOpenSettings={() => void ask(runtime, 'options.open', { section: 'backend' }).catch(() => undefined)}
    />
  );
}
