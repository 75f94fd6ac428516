import type { Endpoint } from '../property';
import type { FuzzWorld } from '../world';

/**
 * One test of the fuzz suite: an endpoint to fuzz (built once the app is up and the world is
 * seeded, so it can use real ids and tokens), or a plain check.
 */
export type FuzzCase =
  | { title: string; endpoint: (w: FuzzWorld) => Endpoint<any>; runs?: number }
  | { title: string; check: (w: FuzzWorld) => Promise<void> };

/** An endpoint to fuzz, `runs` generated requests (default FUZZ_RUNS). */
export function fuzzCase<I>(title: string, endpoint: (w: FuzzWorld) => Endpoint<I>, runs?: number): FuzzCase {
  return { title, endpoint, runs };
}

/** An endpoint's definition, typed by its inputs (what `fuzzCase` builders return). */
export const endpoint = <I>(e: Endpoint<I>): Endpoint<I> => e;
