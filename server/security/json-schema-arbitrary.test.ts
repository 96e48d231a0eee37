// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MutationArgs } from '../../lib/contract/mutations';
import { ConditionGroupSchema, type ConditionGroup } from '../../lib/domain/playbook';
import { arbitraryOf, MAX_REF_DEPTH, type JsonSchema } from './json-schema-arbitrary';

const jsonSchemaOf = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' }) as JsonSchema;

/** How many condition groups deep a group goes (a group of plain conditions is 1). */
const groupDepth = (g: ConditionGroup): number =>
  1 + Math.max(0, ...g.conditions.map((c) => ('conditions' in c ? groupDepth(c) : 0)));

interface Tree {
  label: string;
  children: Tree[];
}
const TreeSchema: z.ZodType<Tree> = z.object({
  label: z.string(),
  get children() {
    return z.array(TreeSchema).max(3);
  },
});
const treeDepth = (t: Tree): number => 1 + Math.max(0, ...t.children.map(treeDepth));

describe('arbitraryOf on recursive schemas', () => {
  it('builds a self-referencing schema and nests its values a bounded number of levels, each value valid', () => {
    const samples = fc.sample(arbitraryOf(jsonSchemaOf(TreeSchema)), { seed: 7, numRuns: 300 });
    for (const s of samples) expect(TreeSchema.safeParse(s).success, JSON.stringify(s)).toBe(true);
    const depths = samples.map((s) => treeDepth(s as Tree));
    expect(Math.max(...depths)).toBeGreaterThan(2);
    expect(Math.max(...depths)).toBeLessThanOrEqual(MAX_REF_DEPTH + 1);
  });

  it("builds the playbook's AND/OR condition groups with groups inside groups, valid as the domain reads them", () => {
    const samples = fc.sample(arbitraryOf(jsonSchemaOf(ConditionGroupSchema)), { seed: 11, numRuns: 300 });
    const valid = samples.filter((s) => ConditionGroupSchema.safeParse(s).success) as ConditionGroup[];
    // Patterns and cross-field rules are not followed, so not every value is valid; most are.
    expect(valid.length).toBeGreaterThan(samples.length / 4);
    expect(Math.max(...valid.map(groupDepth))).toBeGreaterThan(1);
  });

  it('builds every sync mutation, and playbook.upsert with rules whose conditions nest groups', () => {
    const names = Object.keys(MutationArgs) as (keyof typeof MutationArgs)[];
    expect(names).toContain('playbook.upsert');
    for (const name of names) {
      const samples = fc.sample(arbitraryOf(jsonSchemaOf(MutationArgs[name] as z.ZodType)), {
        seed: 3,
        numRuns: 20,
      });
      expect(samples, name).toHaveLength(20);
    }
    const playbooks = fc.sample(arbitraryOf(jsonSchemaOf(MutationArgs['playbook.upsert'] as z.ZodType)), {
      seed: 5,
      numRuns: 100,
    }) as { rules?: { when?: unknown }[] }[];
    const whens = playbooks.flatMap((p) => (p.rules ?? []).map((r) => r.when));
    const nested = whens.filter(
      (w) => ConditionGroupSchema.safeParse(w).success && groupDepth(w as ConditionGroup) > 1,
    );
    expect(nested.length).toBeGreaterThan(0);
  });
});
