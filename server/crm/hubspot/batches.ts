/** HubSpot's batch endpoints take at most 100 inputs per call (the associations ones 1,000): split a list so. */
export function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
