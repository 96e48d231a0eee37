import type { Contact } from '../../../lib/domain/contact';
import { defaultSettings, type Sequence, type Step, type StepType } from '../../../lib/domain/sequence';

export const newId = () => crypto.randomUUID();

/** A new step of a kind, with the schema's defaults and a sensible first delay. */
export function newStep(type: StepType, first: boolean): Step {
  const base = { id: newId(), delay: { value: first ? 0 : 2, unit: 'business_days' as const } };
  const task = { title: '', notes: '', priority: 'medium' as const };
  switch (type) {
    case 'auto_email':
      return { ...base, type, subject: '', body: '', threadWithPrevious: true, variants: [] };
    case 'manual_email':
      return { ...base, ...task, type, subject: '', body: '', threadWithPrevious: true };
    case 'call':
      return { ...base, ...task, type, callScript: '' };
    case 'linkedin':
      return { ...base, ...task, type, action: 'connect', message: '' };
    case 'todo':
      return { ...base, ...task, type };
  }
}

export function newSequence(): Sequence {
  return {
    id: newId(),
    name: '',
    ownerId: '',
    sharing: 'private',
    steps: [newStep('auto_email', true)],
    settings: defaultSettings(),
    archived: false,
    updatedAt: 0,
  };
}

export function moveStep(steps: readonly Step[], index: number, by: -1 | 1): Step[] {
  const to = index + by;
  if (to < 0 || to >= steps.length) return [...steps];
  const next = [...steps];
  [next[index], next[to]] = [next[to]!, next[index]!];
  return next;
}

export const isEmail = (step: Step) => step.type === 'auto_email' || step.type === 'manual_email';

/** Index of the first email step: the one that starts the thread. */
export const firstEmailIndex = (steps: readonly Step[]) => steps.findIndex(isEmail);

/** Stands in for a real contact in the previews. */
export const SAMPLE_CONTACT: Contact = {
  id: 'sample',
  email: 'jordan.lee@northwind.example',
  firstName: 'Jordan',
  lastName: 'Lee',
  company: 'Northwind Traders',
  domain: 'northwind.example',
  title: 'Head of Operations',
  timeZone: 'America/New_York',
  custom: { industry: 'Logistics' },
};
