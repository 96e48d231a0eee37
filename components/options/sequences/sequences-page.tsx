import { lazy, Suspense, useEffect, useState } from 'react';
import type { Contact } from '../../../lib/domain/contact';
import type { Rep } from '../../../lib/domain/rep';
import type { Sequence } from '../../../lib/domain/sequence';
import { newId, newSequence } from './draft';
import type { SequencesPort, SequenceSummary } from '../../../lib/options-ports/interfaces/sequences';
import { SequenceList } from './sequence-list';
import { s } from './strings';
import { SEQUENCES_CSS } from './styles';
import type { EnrollmentsPort } from '../../../lib/options-ports/interfaces/enrollments';
import { ENROLLMENTS_CSS, EnrollmentsView } from './enrollments-view';

// The builder (with its rich-text editor, about a fifth of the options page's code) loads when first
// opened, so the list and a sequence's Enrollments view paint without parsing it.
const SequenceBuilder = lazy(() =>
  import('./sequence-builder').then((m) => ({ default: m.SequenceBuilder })),
);

interface Props {
  port: SequencesPort;
  /** The route after `#/sequences`: [] for the list, ['new'] or [id] for the builder. */
  rest: readonly string[];
  navigate(hash: string): void;
  now?: () => number;
  /** The Enrollments view at #/sequences/<id>/enrollments. */
  enrollments?: EnrollmentsPort;
}

/** The Sequences page of the options app: the list at #/sequences, the builder at #/sequences/<id>. */
export function SequencesPage({ port, rest, navigate, now = Date.now, enrollments }: Props) {
  const [rows, setRows] = useState<SequenceSummary[] | undefined>();
  const [rep, setRep] = useState<Rep | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [created, setCreated] = useState<string>();
  const id = rest[0];
  // The list's query reads every event for its analytics and re-runs on every write: only the list route
  // shows it, so the builder and the Enrollments view do not pay for it.
  const onList = !id;
  useEffect(() => {
    if (!onList) return;
    return port.watchList(setRows, (e) => setError(String(e)));
  }, [port, onList]);
  useEffect(() => {
    void port.rep().then(setRep);
  }, [port]);

  return (
    <div className="tl-seq">
      <style>{SEQUENCES_CSS}</style>
      {error && <p className="error">{error}</p>}
      {id && id !== 'new' && enrollments && (
        <nav aria-label="Sequence views" className="tl-seq-views">
          <a href={`#/sequences/${encodeURIComponent(id)}`} aria-current={rest[1] ? undefined : 'page'}>
            Steps and settings
          </a>
          <a
            href={`#/sequences/${encodeURIComponent(id)}/enrollments`}
            aria-current={rest[1] === 'enrollments' ? 'page' : undefined}
          >
            Enrollments
          </a>
        </nav>
      )}
      {id && rest[1] === 'enrollments' && enrollments ? (
        <>
          <style>{ENROLLMENTS_CSS}</style>
          <EnrollmentsView port={enrollments} sequenceId={id} />
        </>
      ) : id ? (
        <BuilderRoute
          key={id}
          port={port}
          id={id}
          rep={rep}
          now={now}
          justSaved={created === id}
          onCreated={(newId) => {
            setCreated(newId);
            navigate(`#/sequences/${encodeURIComponent(newId)}`);
          }}
        />
      ) : (
        <SequenceList
          rows={rows}
          rep={rep}
          onCreate={() => navigate('#/sequences/new')}
          onDuplicate={(row) => void port.duplicate(row.sequence.id, s.copyName(row.sequence.name), newId())}
          onArchive={(row, archived) => void port.setArchived(row.sequence.id, archived)}
          onShare={(row, sharing) => void port.setSharing(row.sequence.id, sharing)}
        />
      )}
    </div>
  );
}

function BuilderRoute({
  port,
  id,
  rep,
  now,
  justSaved,
  onCreated,
}: {
  port: SequencesPort;
  id: string;
  rep: Rep | undefined;
  now: () => number;
  justSaved: boolean;
  onCreated(id: string): void;
}) {
  const [initial, setInitial] = useState<Sequence | null | undefined>(
    id === 'new' ? newSequence() : undefined,
  );
  const [contacts, setContacts] = useState<Contact[]>([]);
  const [holidays, setHolidays] = useState<string[]>([]);
  useEffect(() => {
    if (id !== 'new') void port.load(id).then((q) => setInitial(q ?? null));
    void port.contacts().then(setContacts, () => setContacts([]));
    void port.teamHolidays().then(setHolidays, () => setHolidays([]));
  }, [port, id]);
  if (initial === null) {
    return (
      <section>
        <p>{s.notFound}</p>
        <a href="#/sequences">{s.allSequences}</a>
      </section>
    );
  }
  if (!initial || !rep) return <p className="tl-seq-hint">{s.loading}</p>;
  return (
    <Suspense fallback={<p className="tl-seq-hint">{s.loading}</p>}>
      <SequenceBuilder
        port={port}
        initial={initial}
        isNew={id === 'new'}
        rep={rep}
        contacts={contacts}
        teamHolidays={holidays}
        now={now()}
        justSaved={justSaved}
        onSaved={(sequence, wasNew) => {
          if (wasNew) onCreated(sequence.id);
        }}
      />
    </Suspense>
  );
}
