/**
 * The worker thread that runs XGrammar for MaskBench's `--peer` (see maskbench-peer.ts for why it
 * is a separate thread). Loads the tokenizer and XGrammar once, says `ready`, then runs one schema
 * per message. Replies go on the channel in `workerData.port`, each followed by raising
 * `workerData.flag`, which the main thread blocks on.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { createXGrammarPeer } from './peer/xgrammar.ts';
import { loadTokenizer } from '../engine/index.ts';
import { runPeerJob, type PeerJob } from './maskbench-peer.ts';

const { tokenizer, port, flag } = workerData as { tokenizer: string; port: MessagePort; flag: Int32Array };

function reply(message: unknown, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

if (parentPort) {
  // An error outside a job's promise (XGrammar's callbacks) ends the wait too; the main thread then
  // stops this worker.
  process.on('uncaughtException', (e) => reply({ type: 'error', message: e instanceof Error ? e.message : String(e) }));
  const tok = loadTokenizer(tokenizer);
  const peer = await createXGrammarPeer(tok);
  const eos = tok.eosTokens[0]!;
  parentPort.on('message', (job: PeerJob) => {
    runPeerJob(peer, job, eos, tok.vocabSize).then(
      (outcome) => reply({ type: 'done', outcome }, [outcome.tbm.buffer as ArrayBuffer]),
      (e: unknown) => reply({ type: 'error', message: e instanceof Error ? e.message : String(e) }),
    );
  });
  reply({ type: 'ready' });
}
