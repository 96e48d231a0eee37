/** One HubSpot portal's state: records, associations, properties, owners, the deal pipeline. */
import {
  builtInProperties,
  DEFAULT_STAGES,
  definedTypes,
  OBJECT_TYPES,
  reverseTypeId,
  TYPE_ID,
  type ObjectType,
  type PropertyDef,
  type Stage,
} from './objects';

export interface StoredRecord {
  id: string;
  type: ObjectType;
  properties: Map<string, string>;
  /** Each property's values, newest first, with the time each was set (propertiesWithHistory). */
  history: Map<string, { value: string; at: number }[]>;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
  seq: number;
}

export interface Owner {
  id: string;
  userId: number;
  email: string;
  firstName: string;
  lastName: string;
  archived: boolean;
  createdAt: number;
}

export interface Pipeline {
  id: string;
  label: string;
  displayOrder: number;
  stages: Stage[];
  createdAt: number;
}

export interface AssociationEdge {
  category: string;
  typeId: number;
  label: string | null;
}

export class Portal {
  readonly records = new Map<string, StoredRecord>();
  readonly properties = new Map<ObjectType, Map<string, PropertyDef>>();
  /** `${type}:${id}` -> `${toType}:${toId}` -> the types between them. */
  readonly edges = new Map<string, Map<string, AssociationEdge[]>>();
  readonly owners: Owner[] = [];
  readonly pipelines: Pipeline[] = [];
  private nextId = 1001;
  private seq = 0;

  constructor(
    readonly portalId: number,
    readonly hubDomain: string,
    readonly now: () => number,
  ) {
    const at = new Date(now()).toISOString();
    for (const t of OBJECT_TYPES)
      this.properties.set(t, new Map(builtInProperties(t, at).map((p) => [p.name, p])));
    this.pipelines.push({
      id: 'default',
      label: 'Sales Pipeline',
      displayOrder: 0,
      stages: DEFAULT_STAGES,
      createdAt: now(),
    });
  }

  newId(): string {
    return String(this.nextId++);
  }

  property(type: ObjectType, name: string): PropertyDef | undefined {
    return this.properties.get(type)!.get(name);
  }

  /** A live record of this type (archived ones are not found). */
  get(type: ObjectType, id: string): StoredRecord | undefined {
    const r = this.records.get(id);
    return r && r.type === type && !r.archived ? r : undefined;
  }

  /** The live record of `type` whose `property` equals `value` (emails compare case-insensitively). */
  findBy(type: ObjectType, property: string, value: string): StoredRecord | undefined {
    const lower = value.toLowerCase();
    for (const r of this.records.values()) {
      if (r.type !== type || r.archived) continue;
      const v = r.properties.get(property);
      if (
        v !== undefined &&
        (property === 'email' || property === 'domain' ? v.toLowerCase() === lower : v === value)
      )
        return r;
    }
    return undefined;
  }

  all(type: ObjectType): StoredRecord[] {
    return [...this.records.values()].filter((r) => r.type === type && !r.archived);
  }

  insert(type: ObjectType, properties: Map<string, string>): StoredRecord {
    const now = this.now();
    const id = this.newId();
    const record: StoredRecord = {
      id,
      type,
      properties,
      history: new Map([...properties].map(([k, value]) => [k, [{ value, at: now }]])),
      createdAt: now,
      updatedAt: now,
      archived: false,
      seq: this.seq++,
    };
    this.records.set(id, record);
    return record;
  }

  /** Adds `types` between two records, both directions (the reverse with its own type ids). */
  associate(from: ObjectType, fromId: string, to: ObjectType, toId: string, types: AssociationEdge[]): void {
    const add = (a: ObjectType, aId: string, b: ObjectType, bId: string, list: AssociationEdge[]) => {
      const key = `${a}:${aId}`;
      const map = this.edges.get(key) ?? new Map<string, AssociationEdge[]>();
      this.edges.set(key, map);
      const have = map.get(`${b}:${bId}`) ?? [];
      for (const t of list)
        if (!have.some((h) => h.typeId === t.typeId && h.category === t.category)) have.push(t);
      map.set(`${b}:${bId}`, have);
    };
    add(from, fromId, to, toId, types);
    const reverse = types
      .map((t) => {
        const back = t.category === 'HUBSPOT_DEFINED' ? reverseTypeId(from, to, t.typeId) : t.typeId;
        if (back === undefined) return undefined;
        const label = definedTypes(to, from).find((d) => d.typeId === back)?.label ?? t.label;
        return { category: t.category, typeId: back, label };
      })
      .filter((t): t is AssociationEdge => t !== undefined);
    add(to, toId, from, fromId, reverse);
  }

  dissociate(from: ObjectType, fromId: string, to: ObjectType, toId: string): void {
    this.edges.get(`${from}:${fromId}`)?.delete(`${to}:${toId}`);
    this.edges.get(`${to}:${toId}`)?.delete(`${from}:${fromId}`);
  }

  /** The associated records of `to` (live ones), with their types. */
  associated(from: ObjectType, fromId: string, to: ObjectType): { id: string; types: AssociationEdge[] }[] {
    const map = this.edges.get(`${from}:${fromId}`);
    if (!map) return [];
    const out: { id: string; types: AssociationEdge[] }[] = [];
    for (const [key, types] of map) {
      const [t, id] = key.split(':') as [ObjectType, string];
      if (t === to && this.get(to, id) && types.length) out.push({ id, types });
    }
    return out.sort((a, b) => Number(a.id) - Number(b.id));
  }

  /** Whether a defined or known type id is valid from one type to another. */
  validType(from: ObjectType, to: ObjectType, category: string, typeId: number): boolean {
    if (category === 'HUBSPOT_DEFINED') return definedTypes(from, to).some((d) => d.typeId === typeId);
    return category === 'USER_DEFINED' || category === 'INTEGRATOR_DEFINED' || category === 'WORK';
  }

  typeIdOf(type: ObjectType): string {
    return TYPE_ID[type];
  }
}
