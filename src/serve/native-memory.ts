/**
 * Native memory the garbage collector does not see. node-llama-cpp 3.21.1 creates one native
 * sampler per generation, and the sampler allocates a candidate array of the whole vocabulary
 * (12 bytes per token: 1.8 MB for Qwen3) in its constructor but frees it only in its destructor
 * (AddonSampler.cpp: `dispose()` leaves `tokenCandidates`), which runs when V8 collects the
 * JavaScript wrapper. V8 does not know those bytes exist, and a server's JavaScript heap grows
 * slowly, so collections are rare: measured on the test model with 4 generations at a time, RSS
 * climbed ~1.5 MB per generation, past 1.5 GB in a 60 s soak, falling back only at a major
 * collection.
 *
 * So a long-running server asks V8 for a major collection, concurrent and incremental
 * (`execution: "async"`: the caller is not blocked; measured 0 ms on the calling thread where a
 * synchronous one took 70–260 ms), each time about CANDIDATE_BUDGET_BYTES of such arrays may have
 * piled up. With it, RSS stayed flat (±20 MB over 600 generations). The collector is reached
 * through V8's `--expose-gc`, set at run time; where that is not possible, nothing is done.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

/** Candidate arrays allowed to wait for a collection: a bounded, small share of a server's memory. */
export const CANDIDATE_BUDGET_BYTES = 32 * 1024 * 1024;
/** sizeof(llama_token_data): id (int32), logit (float), p (float). */
const CANDIDATE_BYTES = 12;

type Gc = (options?: { type?: 'major' | 'minor'; execution?: 'sync' | 'async' }) => void;

function collector(): Gc | undefined {
  const exposed = (globalThis as { gc?: Gc }).gc;
  if (typeof exposed === 'function') return exposed;
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as Gc) : undefined;
  } catch {
    return undefined;
  }
}

/** Call `generationEnded()` after every generation; it asks for a collection every so many. */
export class SamplerMemory {
  private readonly every: number;
  private count = 0;
  private readonly gc: Gc | undefined;
  collections = 0;

  constructor(vocabSize: number, gc: Gc | undefined = collector()) {
    this.every = Math.max(1, Math.floor(CANDIDATE_BUDGET_BYTES / (vocabSize * CANDIDATE_BYTES)));
    this.gc = gc;
  }

  get available(): boolean {
    return this.gc !== undefined;
  }

  generationEnded(): void {
    if (this.gc === undefined || ++this.count < this.every) return;
    this.count = 0;
    this.collections++;
    this.gc({ type: 'major', execution: 'async' });
  }
}
