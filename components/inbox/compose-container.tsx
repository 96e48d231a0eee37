import { useEffect, useMemo, useState } from 'react';
import { EnrollFlow, type EnrollRequest } from '@/components/enroll/enroll-flow';
import type { ThreadPerson } from '../../lib/hosts/types';
import type { Runtime } from '../../lib/protocol/endpoints';
import { ask } from '../../lib/protocol/inbox-client';
import type { ResponseOf } from '../../lib/protocol/messages';
import { externalPeople, withThreadNames } from './people';
import { glue } from './strings';
import { useNow } from './use-refresh';

export interface ComposeContainerProps {
  runtime: Runtime;
  /** Everyone the compose addresses. */
  recipients: ThreadPerson[];
  me?: string;
  onClose(): void;
}

const repZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/**
 * The enroll flow for a compose window's recipients (its toolbar button), in the modal the driver opened. The
 * rep's own message is theirs to send: the sequence's first email goes out on its own schedule.
 */
export function ComposeContainer({ runtime, recipients, me, onClose }: ComposeContainerProps) {
  const now = useNow();
  const people = useMemo(
    () => externalPeople({ id: '', subject: '', participants: recipients, ...(me ? { me } : {}) }),
    [recipients, me],
  );
  const [options, setOptions] = useState<ResponseOf<'enroll.options'>>();
  const [problem, setProblem] = useState<string>();
  const [enrolled, setEnrolled] = useState<number>();

  useEffect(() => {
    if (people.length === 0) return;
    let live = true;
    ask(runtime, 'enroll.options', { emails: people.map((p) => p.email) }).then(
      (o) => live && setOptions({ ...o, contacts: withThreadNames(o.contacts, people) }),
      (e: unknown) => live && setProblem(e instanceof Error ? e.message : String(e)),
    );
    return () => void (live = false);
  }, [runtime, people]);

  const submit = ({ startAt, replyInThread: _none, ...rest }: EnrollRequest) =>
    void (async () => {
      setProblem(undefined);
      try {
        const report = await ask(runtime, 'enroll.submit', {
          ...rest,
          ...(startAt !== undefined ? { startAt } : {}),
        });
        if (report.rejected.length)
          throw new Error(report.rejected.map((r) => glue.rejected(r.email ?? '', r.message)).join(' '));
        setEnrolled(report.enrolled.length);
      } catch (e) {
        setProblem(e instanceof Error ? e.message : String(e));
      }
    })();

  const closeButton = (
    <div className="tl-row">
      <button type="button" className="tl-button" onClick={onClose}>
        {glue.close}
      </button>
    </div>
  );
  if (people.length === 0)
    return (
      <div className="tl-root tl-stack">
        <p>{glue.composeNoRecipients}</p>
        {closeButton}
      </div>
    );
  if (enrolled !== undefined)
    return (
      <div className="tl-root tl-stack">
        <p role="status">{glue.enrolled(enrolled)}</p>
        {closeButton}
      </div>
    );
  return (
    <div className="tl-stack">
      {problem && (
        <div className="tl-root tl-alert tl-alert--danger" role="alert">
          {glue.unreachable(problem)}
        </div>
      )}
      {options ? (
        <EnrollFlow
          sequences={options.sequences}
          contacts={options.contacts}
          rep={
            options.rep.email.endsWith('.invalid')
              ? { email: me ?? options.rep.email, timeZone: repZone() }
              : options.rep
          }
          now={now}
          onSubmit={submit}
          onCancel={onClose}
        />
      ) : (
        !problem && (
          <p className="tl-root tl-muted" role="status">
            {glue.loading}
          </p>
        )
      )}
    </div>
  );
}
