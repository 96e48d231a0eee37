import type { z } from 'zod';
import type { MutationArgsOf, MutationName } from '../../lib/contract/mutations';
import type { EntityKind } from '../../lib/contract/sync';
import { describeZodError } from '../../lib/domain/common';
import type { Caller } from '../http';
import type { ChangeWriter, StoredRow } from './changes';

/**
 * What every sync mutation handler is made of (server/sync/mutations.ts composes the groups). A handler
 * declares the rows it reads, so a push fetches them all in one query before any handler runs, and applies
 * its mutation through the writer, throwing a `Rejection` to refuse it.
 */

/** A mutation the server refuses; the push goes on with the next one. */
export class Rejection extends Error {
  override name = 'Rejection';
}

export interface MutationCtx {
  w: ChangeWriter;
  caller: Caller;
  now: number;
  /** The sign-in addresses of the caller's teammates (lower case): not a mailbox the caller enrolls from. */
  colleagues?: ReadonlySet<string>;
}

export interface RowKey {
  kind: EntityKind;
  id: string;
}

export interface MutationHandler<N extends MutationName> {
  /** The rows `apply` will read, from its validated args (a row found only through another, as a contact's suppression, may be left out: it is then read on its own). */
  reads(args: MutationArgsOf<N>): RowKey[];
  /** `given` is the args as sent, parsed: patches apply only the fields the client sent, not schema defaults. */
  apply(ctx: MutationCtx, args: MutationArgsOf<N>, given: Set<string>): Promise<void>;
}

/** A group of handlers, one per mutation name it covers; the compiler checks each against its args. */
export type MutationHandlers<N extends MutationName> = { [K in N]: MutationHandler<K> };

export function sent<T extends object>(args: T, given: Set<string>): Partial<T> {
  return Object.fromEntries(Object.entries(args).filter(([key]) => given.has(key))) as Partial<T>;
}

export type LiveRow = StoredRow & { data: Record<string, unknown> };

/** A live row the caller owns, or a rejection that does not reveal whether someone else's exists. */
export async function owned(ctx: MutationCtx, kind: EntityKind, id: string): Promise<LiveRow> {
  const row = await ctx.w.get(kind, id);
  if (!row || row.deleted || !row.data || row.ownerId !== ctx.caller.id)
    throw new Rejection(`no ${kind} ${id} of yours`);
  return row as LiveRow;
}

/** The caller's live row or a teammate's shared one, else a rejection naming what the caller can use. */
export async function usable(
  ctx: MutationCtx,
  kind: EntityKind,
  id: string,
  path?: string,
): Promise<LiveRow> {
  const row = await ctx.w.get(kind, id);
  if (!row || row.deleted || !row.data || (row.ownerId !== ctx.caller.id && !row.shared))
    throw new Rejection(`${path ? `${path}: ` : ''}no ${kind} ${id} you can use`);
  return row as LiveRow;
}

export function validate<T>(schema: z.ZodType<T>, value: unknown, root: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new Rejection(describeZodError(result.error, root));
  return result.data;
}

export async function putOwned(
  ctx: MutationCtx,
  kind: EntityKind,
  id: string,
  data: object,
  shared = false,
): Promise<void> {
  await ctx.w.put(kind, id, {
    ownerId: ctx.caller.id,
    shared,
    deleted: false,
    data: data as Record<string, unknown>,
  });
}
