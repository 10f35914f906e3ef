/**
 * The worker thread that runs XGrammar for MaskBench's `--peer` (see maskbench-peer.ts for why it
 * is a separate thread). Loads the tokenizer and XGrammar once, says `ready`, then runs one schema
 * per message and posts the outcome back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createXGrammarPeer } from './peer/xgrammar.ts';
import { loadTokenizer } from '../engine/index.ts';
import { runPeerJob, type PeerJob } from './maskbench-peer.ts';

const port = parentPort;
if (port) {
  const tok = loadTokenizer((workerData as { tokenizer: string }).tokenizer);
  const peer = await createXGrammarPeer(tok);
  const eos = tok.eosTokens[0]!;
  port.on('message', (job: PeerJob) => {
    void runPeerJob(peer, job, eos, tok.vocabSize).then((outcome) => {
      port.postMessage({ type: 'done', outcome }, [outcome.tbm.buffer as ArrayBuffer]);
    });
  });
  port.postMessage({ type: 'ready' });
}
