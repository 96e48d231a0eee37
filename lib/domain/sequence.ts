import { z } from 'zod';
import { ClockTime, Id, IsoDate, minutesOfClock } from './common';
import type { StepType, TaskType } from './step-types';

export const DelayUnit = z.enum(['business_days', 'days', 'hours', 'minutes']);
export type DelayUnit = z.infer<typeof DelayUnit>;

export const DelaySchema = z
  .object({
    value: z.number().int().min(0).max(365),
    unit: DelayUnit,
  })
  .strict();
export type Delay = z.infer<typeof DelaySchema>;

export const VariantSchema = z
  .object({
    id: Id,
    subject: z.string().max(500),
    body: z.string().max(100_000),
  })
  .strict();

const stepBase = {
  id: Id,
  /** Counted from the moment the previous step was executed (or from enrollment for the first). */
  delay: DelaySchema,
};

export const AutoEmailStepSchema = z
  .object({
    ...stepBase,
    type: z.literal('auto_email'),
    subject: z.string().max(500).default(''),
    body: z.string().max(100_000).default(''),
    /** Send as a reply in the previous email's thread ("Re: <first subject>"). */
    threadWithPrevious: z.boolean().default(true),
    /** Up to 3 A/B variants; when present they replace subject/body, chosen per enrollment. */
    variants: z.array(VariantSchema).max(3, { message: 'an email step has at most 3 variants' }).default([]),
  })
  .strict();

const taskBase = {
  ...stepBase,
  title: z.string().max(300).default(''),
  notes: z.string().max(10_000).default(''),
  priority: z.enum(['low', 'medium', 'high']).default('medium'),
};

export const ManualEmailStepSchema = z
  .object({
    ...taskBase,
    type: z.literal('manual_email'),
    subject: z.string().max(500).default(''),
    body: z.string().max(100_000).default(''),
    threadWithPrevious: z.boolean().default(true),
  })
  .strict();
export const CallStepSchema = z
  .object({ ...taskBase, type: z.literal('call'), callScript: z.string().max(20_000).default('') })
  .strict();
export const LinkedInStepSchema = z
  .object({
    ...taskBase,
    type: z.literal('linkedin'),
    action: z.enum(['connect', 'message', 'view_profile']).default('connect'),
    message: z.string().max(3000).default(''),
  })
  .strict();
export const TodoStepSchema = z.object({ ...taskBase, type: z.literal('todo') }).strict();

export const StepSchema = z.discriminatedUnion('type', [
  AutoEmailStepSchema,
  ManualEmailStepSchema,
  CallStepSchema,
  LinkedInStepSchema,
  TodoStepSchema,
]);
export type Step = z.infer<typeof StepSchema>;
export type StepInput = z.input<typeof StepSchema>;
export type { StepType } from './step-types';
export type AutoEmailStep = z.infer<typeof AutoEmailStepSchema>;
export type TaskStep = Exclude<Step, AutoEmailStep>;

/**
 * Compiles only while the union above has one schema for each kind step-types.ts lists and its task steps are
 * exactly the task types: a kind added to one and not the other stops the build here.
 */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Holds<T extends true> = T;
export type StepSchemasMatchTheLists = Holds<
  [Same<Step['type'], StepType>, Same<TaskStep['type'], TaskType>] extends [true, true] ? true : false
>;
export type ManualEmailStep = z.infer<typeof ManualEmailStepSchema>;

export const isEmailStep = (step: Step): step is AutoEmailStep => step.type === 'auto_email';
export const isTaskStep = (step: Step): step is TaskStep => step.type !== 'auto_email';

/** Defaults are documented in the README ("Sequence settings"). */
export const SettingsSchema = z
  .object({
    sendWindow: z
      .object({ start: ClockTime.default('08:00'), end: ClockTime.default('18:00') })
      .strict()
      .default({ start: '08:00', end: '18:00' })
      .refine((w) => minutesOfClock(w.end) > minutesOfClock(w.start), {
        message: 'the send window must end after it starts',
      }),
    /** Whose clock the window is read on: the contact's time zone when known (else the rep's), or always the rep's. */
    timeZoneBasis: z.enum(['contact', 'rep']).default('contact'),
    weekdaysOnly: z.boolean().default(true),
    holidays: z.array(IsoDate).max(366).default([]),
    dailySendCap: z.number().int().min(1).max(10_000).default(500),
    perMinuteCap: z.number().int().min(1).max(600).default(10),
    minSecondsBetweenSends: z.number().int().min(0).max(86_400).default(30),
    tasksBlock: z.boolean().default(true),
    unenrollCompanyOnReply: z.boolean().default(false),
  })
  .strict();
export type Settings = z.infer<typeof SettingsSchema>;
export const defaultSettings = (): Settings => SettingsSchema.parse({});

export const SequenceSchema = z
  .object({
    id: Id,
    name: z.string().trim().min(1, { message: 'a sequence needs a name' }).max(200),
    ownerId: Id,
    sharing: z.enum(['private', 'team']).default('private'),
    steps: z.array(StepSchema).min(1, { message: 'a sequence needs at least one step' }).max(50),
    settings: SettingsSchema.default(defaultSettings),
    archived: z.boolean().default(false),
    updatedAt: z.number().int().nonnegative().default(0),
  })
  .strict();
export type Sequence = z.infer<typeof SequenceSchema>;
export type SequenceInput = z.input<typeof SequenceSchema>;
