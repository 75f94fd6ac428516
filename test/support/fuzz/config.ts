/**
 * How a fuzz run is tuned (see test/fuzz.e2e-spec.ts): `FUZZ_SEED`, `FUZZ_RUNS` (requests per
 * endpoint), `FUZZ_CONCURRENCY`, `FUZZ_STRICT=0` (count known issues instead of failing on them).
 */
export const SEED = Number(process.env.FUZZ_SEED ?? 20260314);
export const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
export const CONCURRENCY = Number(process.env.FUZZ_CONCURRENCY ?? (process.env.DATABASE_URL ? 20 : 10));
export const API_KEY = 'fuzzkey_abcdefghijklmnop';
export const SUITE_TIMEOUT = 180_000;
export const STRICT = process.env.FUZZ_STRICT !== '0';
