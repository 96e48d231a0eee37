import type { z } from 'zod';
import { MutationArgs, type MutationArgsOf, type MutationName } from '../../lib/contract/mutations';
import { dealMutations } from './deal-mutations';
import { enrollmentMutations } from './enrollment-mutations';
import { eventMutations } from './event-mutations';
import { libraryMutations } from './library-mutations';
import { moveMutations } from './move-mutations';
import {
  Rejection,
  validate,
  type MutationCtx,
  type MutationHandler,
  type MutationHandlers,
  type RowKey,
} from './mutation-kit';
import { unstorableText } from './storable';
import { suppressionMutations } from './suppression-mutations';

export { Rejection, type MutationCtx } from './mutation-kit';
export { RECIPIENTS_OWN } from './suppression-mutations';

/**
 * Every sync mutation's handler, one group per file (server/sync/*-mutations.ts). A new group is one line
 * here; the type demands a handler for every name in lib/contract/mutations.ts.
 */
const handlers: MutationHandlers<MutationName> = {
  ...libraryMutations,
  ...enrollmentMutations,
  ...suppressionMutations,
  ...eventMutations,
  ...dealMutations,
  ...moveMutations,
};

/** A mutation whose args passed validation, ready to apply. */
export interface ParsedMutation<N extends MutationName = MutationName> {
  name: N;
  args: MutationArgsOf<N>;
  /** The fields the client sent (patches apply only these, not schema defaults). */
  given: Set<string>;
}

function isMutationName(name: string): name is MutationName {
  return Object.hasOwn(MutationArgs, name);
}

const handlerOf = <N extends MutationName>(name: N) => handlers[name] as MutationHandler<N>;

/** Validates one mutation as sent, or throws a Rejection naming what is wrong with it. */
export function parseMutation(name: string, rawArgs: unknown): ParsedMutation {
  if (!isMutationName(name)) throw new Rejection(`unknown mutation "${name}"`);
  const unstorable = unstorableText(rawArgs, 'args');
  if (unstorable) throw new Rejection(unstorable);
  const args = validate(MutationArgs[name] as z.ZodType<MutationArgsOf<typeof name>>, rawArgs, 'args');
  const given = new Set(typeof rawArgs === 'object' && rawArgs ? Object.keys(rawArgs) : []);
  return { name, args, given };
}

/** The rows a push's mutations will read, as their handlers declare them, to fetch them in one query. */
export function rowsReadBy(mutations: readonly ParsedMutation[]): RowKey[] {
  return mutations.flatMap(({ name, args }) => handlerOf(name).reads(args));
}

/** Applies one validated mutation, or throws a Rejection naming why not. Writes happen only after all checks. */
export async function applyParsed(ctx: MutationCtx, { name, args, given }: ParsedMutation): Promise<void> {
  await handlerOf(name).apply(ctx, args, given);
}

/** Validates and applies one mutation, or throws a Rejection naming why not. */
export async function applyMutation(ctx: MutationCtx, name: string, rawArgs: unknown): Promise<void> {
  await applyParsed(ctx, parseMutation(name, rawArgs));
}
