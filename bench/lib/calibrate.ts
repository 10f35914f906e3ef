import { sample } from './stats.ts';

/**
 * A fixed CPU workload (parse, sort, stringify) whose time tracks how fast this machine is right
 * now. Ratios of benchmark times to it are comparable across runs on a noisy shared machine.
 */
const DOC = JSON.stringify(Array.from({ length: 2000 }, (_, i) => ({ id: i, name: `item-${(i * 7919) % 2000}`, tags: ['a', 'b', String(i % 13)] })));

export function calibrationWorkload(): number {
  const items = JSON.parse(DOC) as { id: number; name: string }[];
  items.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id));
  return JSON.stringify(items).length;
}

export function calibrate(): number {
  return sample(calibrationWorkload, { warmup: 20, minSamples: 50, minTimeMs: 300 }).p50;
}
