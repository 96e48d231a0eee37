/** A fresh id from a label, not among `taken` ("new_rule", "new_rule_2"…). */
export function slug(text: string, taken: readonly string[]): string {
  const base =
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 40) || 'item';
  let id = /^[a-z]/.test(base) ? base : `x_${base}`;
  for (let n = 2; taken.includes(id); n++) id = `${base}_${n}`;
  return id;
}
