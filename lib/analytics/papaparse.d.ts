// papaparse ships no types and @types/papaparse is not installed; this declares only what lib/analytics uses.
declare module 'papaparse' {
  export interface UnparseConfig {
    quotes?: boolean | boolean[];
    delimiter?: string;
    newline?: string;
    header?: boolean;
    escapeFormulae?: boolean | RegExp;
  }
  export function unparse(
    data: { fields: string[]; data: (string | number | null)[][] },
    config?: UnparseConfig,
  ): string;
  const Papa: { unparse: typeof unparse };
  export default Papa;
}
