/** A small seeded PRNG (mulberry32): the same seed gives the same workload and delivery order. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher-Yates with the given PRNG; returns a new array. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** An integer in [min, max]. */
export const between = (random: () => number, min: number, max: number) => min + Math.floor(random() * (max - min + 1));

/** The seed of this run: FAULTS_SEED to reproduce one, else fixed per scenario. */
export function seedFor(scenario: string): number {
  if (process.env.FAULTS_SEED) return Number(process.env.FAULTS_SEED);
  let h = 2166136261;
  for (const c of scenario) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return h;
}
