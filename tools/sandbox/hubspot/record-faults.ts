/**
 * Per-record faults for the batch writes: chosen inputs of a batch create or upsert are refused while the
 * others are written, as HubSpot does with a 207 Multi-Status. An input is named by its objectWriteTraceId
 * (create) or by its id under the idProperty (upsert). A create whose inputs do not all carry an
 * objectWriteTraceId stays all or nothing, as with any other invalid input.
 */
import { hubspotError, type Reply } from './errors';
import type { ObjectType } from './objects';

export interface RecordFaultSpec {
  type: ObjectType;
  /** objectWriteTraceIds (create) or idProperty values (upsert) to refuse. */
  ids: string[];
  /** Default VALIDATION_ERROR. */
  category?: string;
  /** Default `Property values were not valid`. */
  message?: string;
  /** How many writes of each id it refuses; default 1, Infinity for always. */
  times?: number;
}

export class RecordFaults {
  private readonly left = new Map<string, { spec: RecordFaultSpec; times: number }>();

  add(spec: RecordFaultSpec): void {
    const times = spec.times ?? 1;
    if (!(times > 0)) throw new Error('recordFault.times must be positive');
    for (const id of spec.ids) this.left.set(`${spec.type}:${id}`, { spec, times });
  }

  clear(): void {
    this.left.clear();
  }

  /** The refusal for this input, consumed once; undefined when it is to be written. */
  take(type: ObjectType, id: string | undefined): Reply | undefined {
    if (id === undefined) return undefined;
    const key = `${type}:${id}`;
    const hit = this.left.get(key);
    if (!hit) return undefined;
    if (--hit.times <= 0) this.left.delete(key);
    return hubspotError(
      400,
      hit.spec.category ?? 'VALIDATION_ERROR',
      hit.spec.message ?? 'Property values were not valid',
    );
  }
}
