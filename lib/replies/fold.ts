/** Lower-cases, removes accents (é -> e, ß -> ss) and normalises apostrophes and spaces, for matching. */
export function fold(s: string): string {
  return s
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[’‘`´]/g, "'")
    .replace(/[\u00a0\u2009\u202f]/g, ' ');
}
