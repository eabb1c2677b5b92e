/**
 * Deterministic data: every value the harness writes can be recomputed for verification.
 * uniform(i, k) is a 53-bit uniform double in [0, 1): 100,000 draws have no ties, so orderings
 * by these values are unambiguous.
 */
export function uniform(i: number, k: number): number {
  const hi = mix32(i * 0x9e3779b1 + k * 0x85ebca6b + 0x1234567) >>> 5; // 27 bits
  const lo = mix32(i * 0xc2b2ae35 + k * 0x27d4eb2f + 0x7654321) >>> 6; // 26 bits
  return (hi * 67108864 + lo) / 9007199254740992;
}

function mix32(x: number): number {
  let h = x | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The value of metric key index k at step s in the log-batch and history workloads. */
export function seriesValue(k: number, step: number): number {
  return ((step * 7 + k * 13) % 10007) / 16;
}
