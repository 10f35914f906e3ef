/**
 * `ananke serve`: an OpenAI-compatible HTTP server on the local backend, taking the constraint
 * fields of vLLM, SGLang, llama.cpp and OpenAI, and the upstream Ananke `POST /generate`
 * (docs/serve.md).
 */
export { startServer, type ServeOptions, type AnankeServer, type ServerStats } from './server.ts';
export { DEFAULT_SERVE_LIMITS, REQUEST_ENGINE_LIMITS, type ServeLimits } from './limits.ts';
export { CHAT_TEMPLATES } from './chat-template.ts';
export { isLoopback } from './host-check.ts';
