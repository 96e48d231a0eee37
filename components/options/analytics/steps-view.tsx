import { useMemo } from 'react';
import type { Analytics, StepRow } from '@/lib/analytics/funnel';
import { DataTable, type Column } from './data-table';
import { funnelColumns } from './funnel-columns';
import type { Labels } from './labels';
import { S } from './strings';
import { ViewSection } from './view-section';

interface Props {
  analytics: Analytics;
  labels: Labels;
  onExport: () => void;
}

/** Every step of every sequence in the filter, in the builder's order. */
export function StepsView({ analytics, labels, onExport }: Props) {
  const columns = useMemo(() => {
    const [, ...rest] = funnelColumns<StepRow>({ key: 'x', label: '', value: () => null });
    const first: Column<StepRow> = {
      key: 'sequence',
      label: S.sequenceColumn,
      value: (r) => labels.sequence(r.sequenceId),
    };
    const step: Column<StepRow> = {
      key: 'step',
      label: S.stepColumn,
      value: (r) => r.stepIndex,
      render: (r) => labels.step(r.sequenceId, r.stepIndex),
    };
    return [first, step, ...rest];
  }, [labels]);
  return (
    <ViewSection
      id="steps"
      title={S.stepsTitle}
      hint={S.stepsHint}
      onExport={onExport}
      table={
        <DataTable
          caption={S.stepsTitle}
          columns={columns}
          rows={analytics.byStep}
          rowKey={(r) => `${r.sequenceId}|${r.stepIndex}`}
        />
      }
    />
  );
}
