import type { z } from 'zod';
import type { FactDefinition, PlaybookInput } from '@/lib/domain/playbook';

/** A stage of the playbook being edited (values may be invalid: the playbook's schema names them). */
export type StageDraft = NonNullable<PlaybookInput['stages']>[number];

/** What each part of the stage editor is given: the stage, a way to change it, the playbook's facts. */
export interface StagePartProps {
  stage: StageDraft;
  /** Changes the stage in the draft (the caller clones). */
  update: (change: (s: StageDraft) => void) => void;
  facts: readonly FactDefinition[];
}

/** The playbook's zod issues under a stage (paths relative to it). */
export type StageIssues = readonly z.core.$ZodIssue[];
