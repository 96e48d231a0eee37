import { renderTemplate } from '../../../lib/templates/render';
import { SequenceSchema, type Sequence, type Step } from '../../../lib/domain/sequence';
import type { EditConflict } from '../../../lib/options-ports/sequences-edit';
import { firstEmailIndex } from './draft';
import { s } from './strings';

/**
 * A problem with a field of the draft. `key` names the field (`name`, `steps.<stepId>.subject`,
 * `settings.sendWindow`...); the builder shows the message next to it and in the summary.
 */
export interface Problem {
  key: string;
  /** "Step 2 · Subject", "Name". */
  where: string;
  message: string;
  stepId?: string;
}

const FIELD_NAMES: Record<string, string> = {
  subject: s.subject,
  body: s.body,
  delay: s.delayValue,
  title: s.taskTitle,
  notes: s.notes,
  callScript: s.callScript,
  message: s.linkedinMessage,
  variants: s.variants,
};
const SETTING_NAMES: Record<string, string> = {
  sendWindow: s.windowEnd,
  holidays: s.holidays,
  dailySendCap: s.dailyCap,
  perMinuteCap: s.perMinuteCap,
  minSecondsBetweenSends: s.spacing,
};

export const stepFieldKey = (stepId: string, field: string) => `steps.${stepId}.${field}`;

function stepProblem(steps: readonly Step[], index: number, field: string, message: string): Problem {
  const step = steps[index]!;
  return {
    key: stepFieldKey(step.id, field),
    where: s.fieldOf(index + 1, FIELD_NAMES[field] ?? field),
    message,
    stepId: step.id,
  };
}

const templatedFields = (step: Step): [string, string][] => {
  const fields: [string, string][] = [];
  if ('subject' in step) fields.push(['subject', step.subject], ['body', step.body]);
  if (step.type === 'auto_email')
    for (const v of step.variants) fields.push(['subject', v.subject], ['body', v.body]);
  if (step.type === 'linkedin') fields.push(['message', step.message]);
  if (step.type === 'call') fields.push(['callScript', step.callScript]);
  return fields;
};

/** Every problem of a draft: the schema's (with friendlier words) plus the checks the schema cannot make. */
export function validateDraft(draft: Sequence, conflicts: readonly EditConflict[] = []): Problem[] {
  const problems = new Map<string, Problem>();
  const add = (p: Problem) => {
    if (!problems.has(p.key)) problems.set(p.key, p);
  };
  const { steps } = draft;

  if (!draft.name.trim()) add({ key: 'name', where: s.fieldName, message: s.errName });
  if (!steps.length) add({ key: 'steps', where: s.steps, message: s.errNoSteps });

  steps.forEach((step, i) => {
    const { value } = step.delay;
    if (!Number.isInteger(value) || value < 0 || value > 365) add(stepProblem(steps, i, 'delay', s.errDelay));
    for (const [field, text] of templatedFields(step)) {
      const unknown = renderTemplate(text, {}).unknown[0];
      if (unknown) add(stepProblem(steps, i, field, s.errUnknownToken(unknown)));
    }
    if (step.type === 'auto_email' || step.type === 'manual_email') {
      const first = i === firstEmailIndex(steps);
      const newThread = first || !step.threadWithPrevious;
      const variants = step.type === 'auto_email' ? step.variants : [];
      if (newThread && variants.length) {
        variants.forEach((v, n) => {
          if (!v.subject.trim())
            add(stepProblem(steps, i, 'subject', s.errVariantSubject(String.fromCharCode(65 + n))));
        });
      } else if (newThread && !step.subject.trim()) {
        add(stepProblem(steps, i, 'subject', first ? s.errFirstSubject : s.errSubject));
      }
    }
  });

  const { sendWindow } = draft.settings;
  if (sendWindow.end <= sendWindow.start && sendWindow.end !== '24:00')
    add({ key: 'settings.sendWindow', where: s.fieldSettings + ' · ' + s.windowEnd, message: s.errWindow });

  // What the schema says beyond the checks above (lengths, caps, dates), naming the same fields.
  const parsed = SequenceSchema.safeParse(draft);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [root, a, b] = issue.path;
      if (root === 'steps' && typeof a === 'number' && steps[a]) {
        const field = String(b ?? 'delay');
        add(stepProblem(steps, a, field, field === 'delay' ? s.errDelay : issue.message));
      } else if (root === 'settings' && typeof a === 'string') {
        const key = `settings.${a}`;
        const message =
          a === 'holidays'
            ? s.errHoliday
            : a === 'sendWindow'
              ? s.errWindow
              : a === 'dailySendCap'
                ? s.errNumber(1, 10_000)
                : a === 'perMinuteCap'
                  ? s.errNumber(1, 600)
                  : a === 'minSecondsBetweenSends'
                    ? s.errNumber(0, 86_400)
                    : issue.message;
        add({ key, where: `${s.fieldSettings} · ${SETTING_NAMES[a] ?? a}`, message });
      } else if (root === 'name') {
        add({ key: 'name', where: s.fieldName, message: issue.message });
      } else if (root !== 'ownerId' && root !== 'id') {
        add({ key: String(root ?? 'sequence'), where: String(root ?? ''), message: issue.message });
      }
    }
  }

  for (const c of conflicts) {
    const index = steps.findIndex((x) => x.id === c.stepId);
    const message =
      c.kind === 'removed_done'
        ? s.conflictRemoved(c.enrollments)
        : c.kind === 'moved_above_done'
          ? s.conflictMoved(c.enrollments)
          : s.conflictBusy(c.enrollments);
    if (index >= 0)
      add({ ...stepProblem(steps, index, 'position', message), where: s.stepHeading(index + 1) });
    else add({ key: `removed.${c.stepId}`, where: s.stepHeading(c.stepNumber), message });
  }
  return [...problems.values()];
}
