/**
 * A request body read as one JSON object, within a byte limit: a body announced or found larger is
 * a 413 as soon as it is known (the rest is not read), and text that is not a JSON object is a 400
 * saying why.
 */
import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error.ts';

export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<Record<string, unknown>> {
  const type = req.headers['content-type'];
  if (type !== undefined && !/^application\/json\s*(;|$)/i.test(type)) {
    throw new HttpError(415, `the body must be application/json, not ${type}`, 'invalid_request_error', null, 'unsupported_media_type');
  }
  const tooLarge = (): HttpError => new HttpError(413, `the request body is larger than the limit of ${maxBytes} bytes (--max-body)`, 'invalid_request_error', null, 'body_too_large');
  const announced = Number(req.headers['content-length']);
  if (Number.isFinite(announced) && announced > maxBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw new HttpError(400, 'the request body is empty: send a JSON object', 'invalid_request_error', null, 'invalid_json');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new HttpError(400, `the request body is not valid JSON: ${(e as Error).message}`, 'invalid_request_error', null, 'invalid_json');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new HttpError(400, 'the request body must be a JSON object', 'invalid_request_error', null, 'invalid_json');
  return value as Record<string, unknown>;
}
