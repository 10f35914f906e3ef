/**
 * Chat messages → the prompt text a local model reads, through node-llama-cpp's chat wrappers (the
 * runtime's own implementations of each model family's format). The test model has no template of
 * its own; it gets ChatML, the format its Qwen3 vocabulary was made for
 * (`<|im_start|>role\ncontent<|im_end|>\n`, documented in openai-python's chatml.md, the source
 * node-llama-cpp's ChatMLChatWrapper cites). Other models default to `auto`: the wrapper
 * node-llama-cpp resolves from the GGUF's metadata (its Jinja template when it has one).
 *
 * The prompt ends where the assistant's reply begins; a final assistant message is continued
 * (a prefill). Role markers are special tokens; message text is text, but the local backend reads
 * the whole prompt with special tokens recognised, so a message that spells `<|im_end|>` spells
 * the token (docs/serve.md says so).
 */
import { AnankeError } from '../core/index.ts';
import type { LocalModel } from '../maze/index.ts';

type Runtime = typeof import('node-llama-cpp');
type ChatWrapper = InstanceType<Runtime['ChatWrapper']>;
type ChatHistoryItem = Parameters<ChatWrapper['generateContextState']>[0]['chatHistory'][number];

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** Names `--chat-template` takes: node-llama-cpp's wrapper types (and `auto`). */
export const CHAT_TEMPLATES = ['auto', 'chatML', 'general', 'qwen', 'llama3.1', 'llama3', 'llama3.2-lightweight', 'llama2Chat', 'mistral', 'gemma', 'deepSeek', 'falconChat', 'alpacaChat'] as const;

export interface ChatTemplate {
  readonly name: string;
  render(messages: readonly ChatMessage[]): string;
}

/** The wrapper for `name` (`auto`: resolved from the model file's metadata). */
export async function loadChatTemplate(name: string, model: LocalModel): Promise<ChatTemplate> {
  if (!(CHAT_TEMPLATES as readonly string[]).includes(name)) throw new AnankeError('USAGE', `unknown chat template ${JSON.stringify(name)} (known: ${CHAT_TEMPLATES.join(', ')})`);
  const rt = await import('node-llama-cpp');
  let wrapper: ChatWrapper | null;
  if (name === 'auto') {
    const fileInfo = await rt.readGgufFileInfo(model.path, { readTensorInfo: false, logWarnings: false });
    wrapper = rt.resolveChatWrapper({ type: 'auto', fileInfo, filename: model.path, warningLogs: false });
    if (!wrapper) throw new AnankeError('UNSUPPORTED', `${model.path}: no chat template could be resolved from the model's metadata; give one with --chat-template (e.g. chatML)`);
  } else {
    wrapper = rt.resolveChatWrapper({ type: name as Exclude<(typeof CHAT_TEMPLATES)[number], 'auto'>, warningLogs: false });
    if (!wrapper) throw new AnankeError('UNSUPPORTED', `node-llama-cpp has no chat wrapper ${name}`);
  }
  const w = wrapper;
  return { name: w.wrapperName, render: (messages) => render(rt, w, messages) };
}

function render(rt: Runtime, wrapper: ChatWrapper, messages: readonly ChatMessage[]): string {
  const history: ChatHistoryItem[] = [];
  for (const m of messages) {
    if (m.role === 'system') history.push({ type: 'system', text: m.content });
    else if (m.role === 'user') history.push({ type: 'user', text: m.content });
    else history.push({ type: 'model', response: [m.content] });
  }
  // The reply to generate: an empty model turn, unless the last message is the assistant's own start.
  if (messages.at(-1)?.role !== 'assistant') history.push({ type: 'model', response: [] });
  const { contextText } = wrapper.generateContextState({ chatHistory: history });
  let out = '';
  for (const v of contextText.values) {
    if (typeof v === 'string') out += v;
    else if (v instanceof rt.SpecialTokensText) out += v.value;
    else if (v.value === 'BOS' && out === '') continue; // the backend adds BOS where the model wants it
    else if (v.value === 'NL') out += '\n';
    else throw new AnankeError('UNSUPPORTED', `the ${wrapper.wrapperName} chat template puts a ${v.value} token inside the prompt, which the local backend cannot place; choose another with --chat-template`);
  }
  return out;
}
