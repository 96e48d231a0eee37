import { useState } from 'react';
import type { AbTestRow, Analytics } from '@/lib/analytics/funnel';
import { count, rateText } from './format';
import type { Labels } from './labels';
import { S } from './strings';
import { ViewSection } from './view-section';

const SHOWN = 6;

function AbTestCard({ test, labels }: { test: AbTestRow; labels: Labels }) {
  const best = Math.max(...test.variants.map((v) => v.replyRate ?? 0));
  const decided = test.summary !== 'not enough data yet';
  const leader = test.comparisons[0]?.leader;
  const title = `${labels.sequence(test.sequenceId)} · ${labels.step(test.sequenceId, test.stepIndex)}`;
  return (
    <article className="tla-ab" aria-label={title}>
      <h3>{title}</h3>
      <table className="tla-table tla-ab-table">
        <caption className="tla-sr">{title}</caption>
        <thead>
          <tr>
            <th scope="col">{S.variant}</th>
            <th scope="col" className="num">
              {S.reached}
            </th>
            <th scope="col" className="num">
              {S.replied}
            </th>
            <th scope="col">{S.replyRate}</th>
          </tr>
        </thead>
        <tbody>
          {test.variants.map((v) => (
            <tr key={v.variant}>
              <th scope="row">
                {v.label}
                {decided && v.label === leader && <span className="tla-win"> {S.leading}</span>}
              </th>
              <td className="num">{count(v.reached)}</td>
              <td className="num">{count(v.replied)}</td>
              <td>
                <span className="tla-meter" aria-hidden="true">
                  <span style={{ width: `${best > 0 ? ((v.replyRate ?? 0) / best) * 100 : 0}%` }} />
                </span>
                {rateText(v.replyRate)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className={decided ? 'tla-verdict tla-decided' : 'tla-verdict'}>
        {decided ? test.summary : S.notEnoughData}
      </p>
      <ul className="tla-comparisons">
        {test.comparisons.map((c) => (
          <li key={c.other}>
            {S.abVersus(c.leader, c.other)}: {c.summary}; {S.pValue(c.pValue.toPrecision(2), c.method)}
          </li>
        ))}
      </ul>
    </article>
  );
}

interface Props {
  analytics: Analytics;
  labels: Labels;
  onExport: () => void;
}

/** Each A/B-tested step with its variants' reply rates and how confident the difference is (significance.ts). */
export function AbTestsView({ analytics, labels, onExport }: Props) {
  const [all, setAll] = useState(false);
  const tests = analytics.abTests;
  const shown = all ? tests : tests.slice(0, SHOWN);
  return (
    <ViewSection
      id="ab"
      title={S.abTitle}
      hint={S.abHint}
      onExport={onExport}
      table={
        tests.length === 0 ? (
          <p className="tla-muted">{S.abNone}</p>
        ) : (
          <>
            <div className="tla-ab-grid">
              {shown.map((t) => (
                <AbTestCard key={`${t.sequenceId}|${t.stepIndex}`} test={t} labels={labels} />
              ))}
            </div>
            {tests.length > SHOWN && (
              <button type="button" className="tla-more" onClick={() => setAll(!all)}>
                {all ? S.showFewer : S.showAll(tests.length)}
              </button>
            )}
          </>
        )
      }
    />
  );
}
