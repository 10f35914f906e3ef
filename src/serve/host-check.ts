/**
 * DNS rebinding: a web page can make a browser send requests to a server on 127.0.0.1 under a name
 * the page controls, and read the answers (the browser sees one origin). A server bound to a
 * loopback address therefore answers only requests whose Host header names a loopback address (or
 * the host it was told to bind); any other name gets a 403. A server bound to another address is
 * reachable by name on purpose, and relies on its API key.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { HttpError } from './http-error.ts';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

export function isLoopback(host: string): boolean {
  return LOOPBACK_NAMES.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The Host check for a server bound to `bindHost` (none when it is not a loopback address). */
export function hostCheck(bindHost: string): (headers: IncomingHttpHeaders) => void {
  if (!isLoopback(bindHost)) return () => undefined;
  return (headers) => {
    const host = headers.host ?? '';
    const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
    if (!isLoopback(name) && name !== bindHost) {
      throw new HttpError(403, `this server listens on ${bindHost} and answers requests addressed to it (Host: localhost or a loopback address), not to ${JSON.stringify(host)}`, 'invalid_request_error', null, 'forbidden_host');
    }
  };
}
