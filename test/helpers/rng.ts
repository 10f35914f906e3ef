/** A small deterministic PRNG for randomized tests, so failures reproduce from the seed: the engine's own (mulberry32). */
export { seededRandom as rng } from '../../src/engine/index.ts';
