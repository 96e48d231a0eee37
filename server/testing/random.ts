/** A small seeded generator (xorshift32), so a failing run's work can be replayed (KILL_SEED). */
export function xorshift(seed: number) {
  let s = seed | 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}
