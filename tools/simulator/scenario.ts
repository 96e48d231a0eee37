import { z } from 'zod';
import { Email, TimeZone } from '../../lib/domain/common';
import { SettingsSchema, StepSchema } from '../../lib/domain/sequence';

const Instant = z.iso.datetime({
  offset: true,
  message: 'must be an ISO instant, e.g. "2026-03-02T09:00:00Z"',
});

/** Steps are checked against the real StepSchema in superRefine, with their index in every message. */
const ScenarioStep = z.record(z.string(), z.unknown(), { message: 'a step must be an object' });

const ContactEventType = z.enum([
  'reply',
  'auto_reply',
  'out_of_office',
  'bounce',
  'meeting_booked',
  'unsubscribe',
  'complete_task',
  'skip_task',
  'pause',
  'resume',
  'unenroll',
]);

export const ScenarioSchema = z
  .object({
    start: Instant,
    until: Instant,
    rep: z.object({ email: Email, timeZone: TimeZone, name: z.string().optional() }).strict(),
    /** Team holidays, added to the sequence's own. */
    teamHolidays: z.array(z.string()).optional(),
    sequence: z
      .object({
        name: z.string().min(1, { message: 'a sequence needs a name' }),
        settings: SettingsSchema.default(SettingsSchema.parse({})),
        steps: z.array(ScenarioStep).min(1, { message: 'a sequence needs at least one step' }).max(50),
      })
      .strict(),
    enroll: z
      .array(
        z
          .object({
            at: Instant,
            contact: z
              .object({
                email: Email,
                firstName: z.string().optional(),
                lastName: z.string().optional(),
                company: z.string().optional(),
                timeZone: TimeZone.optional(),
              })
              .strict(),
            startStep: z.number().int().min(1).optional(),
            override: z.boolean().optional(),
          })
          .strict(),
      )
      .default([]),
    events: z
      .array(
        z.discriminatedUnion('type', [
          z.object({ at: Instant, type: z.enum(['browser_closed', 'browser_opened']) }).strict(),
          z
            .object({
              at: Instant,
              type: ContactEventType,
              contact: Email,
              /** out_of_office: the day they are back. */
              returnDate: z.iso.date().optional(),
              /** bounce: hard (default) or soft. */
              permanent: z.boolean().optional(),
            })
            .strict(),
        ]),
      )
      .default([]),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (Date.parse(s.until) <= Date.parse(s.start))
      ctx.addIssue({ code: 'custom', path: ['until'], message: 'must be after start' });
    s.sequence.steps.forEach((step, i) => {
      const r = StepSchema.safeParse({ id: `step-${i + 1}`, ...(step as object) });
      for (const issue of r.success ? [] : r.error.issues)
        ctx.addIssue({
          code: 'custom',
          path: ['sequence', 'steps', i, ...issue.path],
          message: issue.message,
        });
    });
    const enrolled = new Set(s.enroll.map((e) => e.contact.email));
    s.events.forEach((e, i) => {
      if ('contact' in e && !enrolled.has(e.contact))
        ctx.addIssue({
          code: 'custom',
          path: ['events', i, 'contact'],
          message: `${e.contact} is not enrolled in this scenario`,
        });
    });
  });

export type Scenario = z.infer<typeof ScenarioSchema>;
