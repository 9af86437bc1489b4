/** Small HTTP helpers for the RPC tests: raw XML-RPC and JSON-RPC calls, decoded as clients do. */
import { decodeMethodResponse, encodeMethodCall, MethodResponse } from '../../src/rpc/xml/codec';
import { PyFloat } from '../../src/rpc/values';

export async function xmlCall(url: string, path: string, method: string, params: unknown[]): Promise<MethodResponse> {
  return xmlBody(url, path, encodeMethodCall(method, params));
}

/** POSTs a raw XML body; the answer decoded, with a fault's string reduced to its last line. */
export async function xmlBody(url: string, path: string, body: string): Promise<MethodResponse> {
  const res = await fetch(url + path, { method: 'POST', body, headers: { 'content-type': 'text/xml' } });
  if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
  const answer = decodeMethodResponse(await res.text(), { double: (v) => new PyFloat(v) });
  if ('fault' in answer && typeof answer.fault.string === 'string' && answer.fault.string.startsWith('Traceback')) {
    const lines = answer.fault.string.split('\n').filter((l) => l.trim());
    return { fault: { code: answer.fault.code, string: lines[lines.length - 1] } };
  }
  return answer;
}

export async function jsonPost(url: string, path: string, body: string, headers: Record<string, string> = {}, method = 'POST'): Promise<{ status: number; text: string; json?: Record<string, unknown>; setCookie: string[]; headers: Headers }> {
  const res = await fetch(url + path, { method, body: method === 'GET' || method === 'HEAD' ? undefined : body, headers: { 'content-type': 'application/json', ...headers } });
  const text = await res.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json, setCookie: res.headers.getSetCookie(), headers: res.headers };
}

export const jsonCall = (url: string, path: string, params: unknown, headers: Record<string, string> = {}) =>
  jsonPost(url, path, JSON.stringify({ jsonrpc: '2.0', method: 'call', params, id: 1 }), headers);

/** A JSON-2 call: POST /json/2/<model>/<method> with a bearer key and a JSON body. */
export const json2Call = (url: string, model: string, method: string, key: string | null, body: unknown, headers: Record<string, string> = {}) =>
  jsonPost(url, `/json/2/${model}/${method}`, JSON.stringify(body), { ...(key ? { authorization: `bearer ${key}` } : {}), ...headers });
