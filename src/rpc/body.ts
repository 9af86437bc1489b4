/**
 * Reads a request body as UTF-8 text up to a byte limit. Over the limit, reading stops and
 * the caller answers with a clean error; the connection is then closed so that the rest of
 * an oversized upload is not read.
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { HttpException } from './http-exceptions';

export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`request body larger than ${limit} bytes`);
  }
}

export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new BodyTooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        req.pause();
        reject(new BodyTooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', (err) => {
      if (done) return;
      done = true;
      reject(err);
    });
  });
}

/**
 * The body of an RPC request. Over the limit it throws werkzeug's 413 as Odoo raises it from
 * request.get_data(), which the transports answer as a fault / JSON error, and marks the
 * connection to close.
 */
export async function readRpcBody(req: IncomingMessage, res: ServerResponse, limit: number): Promise<string> {
  try {
    return await readBody(req, limit);
  } catch (err) {
    if (!(err instanceof BodyTooLarge)) throw err;
    res.setHeader('connection', 'close');
    throw new HttpException(413, 'The data value transmitted exceeds the capacity limit.');
  }
}
