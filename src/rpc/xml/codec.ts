/**
 * XML-RPC values on the wire, the way Python's xmlrpc.client and Odoo's marshaller see them.
 *
 * Why our own instead of the xmlrpc package's serializer: it sends every integral JS number
 * as <int> and every other as <double> (a float field worth 3646.0 would reach Python as an
 * int), writes null as <nil/> (Odoo never does: allow_none=False, a None result is a fault),
 * turns JS Dates into dateTime.iso8601 (Odoo sends dates as strings), keeps control
 * characters that break clients' XML parsers (Odoo strips them), and builds a DOM per
 * response, which is slow. Decoding follows xmlrpc.client's Unmarshaller value by value.
 */
import { PyFloat, pyFloatRepr, pyStrRepr, datetimeString } from '../values';
import { PythonError, typeError } from '../../errors';
import { parseXml, XmlElement } from './parse';

export interface DecodeOptions {
  /** How a <double> becomes a JS value: plain numbers for the server, PyFloat for exact replays. */
  double: (value: number) => unknown;
  /** Maximum element nesting of the document. */
  maxDepth?: number;
}

const SERVER: DecodeOptions = { double: (v) => v };

function pyIntText(text: string): number {
  const t = text.trim();
  if (!/^[+-]?\d+(_\d+)*$/.test(t)) throw new PythonError('ValueError', `invalid literal for int() with base 10: ${pyStrRepr(text)}`);
  return parseInt(t.replace(/_/g, ''), 10);
}

function pyFloatText(text: string): number {
  const t = text.trim().toLowerCase();
  if (/^[+-]?(inf|infinity)$/.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/.test(t)) return NaN;
  if (!/^[+-]?(\d+(_\d+)*(\.(\d+(_\d+)*)?)?|\.\d+(_\d+)*)(e[+-]?\d+)?$/.test(t)) {
    throw new PythonError('ValueError', `could not convert string to float: ${pyStrRepr(text)}`);
  }
  return parseFloat(t.replace(/_/g, ''));
}

const setKey = (obj: Record<string, unknown>, key: string, value: unknown) => {
  // A member named "__proto__" is data like any other, never the object's prototype.
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
};

/** One <value> element to its JS value. */
export function decodeValue(value: XmlElement, options: DecodeOptions = SERVER): unknown {
  const typed = value.children[0];
  if (!typed) return value.text;
  switch (typed.name) {
    case 'string':
      return typed.text;
    case 'int':
    case 'i4':
    case 'i8':
    case 'i1':
    case 'i2':
    case 'biginteger':
      return pyIntText(typed.text);
    case 'boolean':
      if (typed.text === '0') return false;
      if (typed.text === '1') return true;
      throw typeError('bad boolean value');
    case 'double':
    case 'float':
    case 'bigdecimal':
      return options.double(pyFloatText(typed.text));
    case 'nil':
      return null;
    case 'base64':
      // Odoo's binary fields take base64 text: keep it as the client wrote it.
      return typed.text.replace(/\s+/g, '');
    case 'dateTime.iso8601': {
      const m = /^\s*(\d{4})-?(\d{2})-?(\d{2})T(\d{2}):?(\d{2}):?(\d{2})/.exec(typed.text);
      if (!m) throw new PythonError('ValueError', `time data ${pyStrRepr(typed.text)} does not match format '%Y%m%dT%H:%M:%S'`);
      return `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6]}`;
    }
    case 'array': {
      const data = typed.children.find((c) => c.name === 'data');
      if (!data) throw new PythonError('xmlrpc.client.ResponseError', "array without a 'data' element");
      return data.children.map((v) => {
        if (v.name !== 'value') throw new PythonError('xmlrpc.client.ResponseError', `unexpected '${v.name}' in array`);
        return decodeValue(v, options);
      });
    }
    case 'struct': {
      const out: Record<string, unknown> = {};
      for (const member of typed.children) {
        const name = member.children.find((c) => c.name === 'name');
        const val = member.children.find((c) => c.name === 'value');
        if (member.name !== 'member' || !name || !val) throw new PythonError('xmlrpc.client.ResponseError', 'malformed struct member');
        setKey(out, name.text, decodeValue(val, options));
      }
      return out;
    }
    default:
      throw new PythonError('xmlrpc.client.ResponseError', `unknown XML-RPC type ${pyStrRepr(typed.name)}`);
  }
}

export interface MethodCall {
  methodName: string;
  params: unknown[];
}

/** The body of an XML-RPC request. */
export function decodeMethodCall(xml: string, options: DecodeOptions = SERVER): MethodCall {
  const root = parseXml(xml, options.maxDepth);
  if (root.name !== 'methodCall') throw new PythonError('xmlrpc.client.ResponseError', `expected methodCall, got ${pyStrRepr(root.name)}`);
  const name = root.children.find((c) => c.name === 'methodName');
  if (!name) throw new PythonError('xmlrpc.client.ResponseError', 'methodCall without methodName');
  return { methodName: name.text.trim(), params: decodeParams(root.children.find((c) => c.name === 'params'), options) };
}

function decodeParams(params: XmlElement | undefined, options: DecodeOptions): unknown[] {
  if (!params) return [];
  return params.children.map((param) => {
    const value = param.children[0];
    if (param.name !== 'param' || !value || value.name !== 'value') throw new PythonError('xmlrpc.client.ResponseError', 'malformed param');
    return decodeValue(value, options);
  });
}

export type MethodResponse = { result: unknown } | { fault: { code: unknown; string: unknown } };

/** The body of an XML-RPC answer, as xmlrpc.client.loads reads it. */
export function decodeMethodResponse(xml: string, options: DecodeOptions = SERVER): MethodResponse {
  const root = parseXml(xml, options.maxDepth);
  if (root.name !== 'methodResponse') throw new PythonError('xmlrpc.client.ResponseError', `expected methodResponse, got ${pyStrRepr(root.name)}`);
  const fault = root.children.find((c) => c.name === 'fault');
  if (fault) {
    const value = decodeValue(fault.children[0], options) as Record<string, unknown>;
    return { fault: { code: value.faultCode, string: value.faultString } };
  }
  const params = decodeParams(root.children.find((c) => c.name === 'params'), options);
  if (params.length !== 1) throw new PythonError('xmlrpc.client.ResponseError', `expected one result, got ${params.length}`);
  return { result: params[0] };
}

// ---------------------------------------------------------------- encoding

const INT32_MAX = 2 ** 31 - 1;
const INT32_MIN = -(2 ** 31);
// What Odoo's marshaller strips from strings: ASCII controls but tab, newline, return.
// eslint-disable-next-line no-control-regex
const STRIPPED = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;

function escapeText(s: string): string {
  return s.replace(STRIPPED, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function encodeInto(value: unknown, out: string[], depth: number, allowNone: boolean): void {
  if (depth > 512) throw new PythonError('RecursionError', 'maximum recursion depth exceeded while marshalling');
  if (value === null || value === undefined) {
    if (!allowNone) throw typeError('cannot marshal None unless allow_none is enabled');
    out.push('<value><nil/></value>');
  } else if (typeof value === 'boolean') {
    out.push(value ? '<value><boolean>1</boolean></value>' : '<value><boolean>0</boolean></value>');
  } else if (value instanceof PyFloat) {
    out.push('<value><double>', pyFloatRepr(value.valueOf()), '</double></value>');
  } else if (typeof value === 'number') {
    if (Number.isInteger(value) && !Object.is(value, -0)) {
      if (value > INT32_MAX || value < INT32_MIN) throw new PythonError('OverflowError', 'int exceeds XML-RPC limits');
      out.push('<value><int>', String(value), '</int></value>');
    } else {
      out.push('<value><double>', pyFloatRepr(value), '</double></value>');
    }
  } else if (typeof value === 'bigint') {
    if (value > BigInt(INT32_MAX) || value < BigInt(INT32_MIN)) throw new PythonError('OverflowError', 'int exceeds XML-RPC limits');
    out.push('<value><int>', value.toString(), '</int></value>');
  } else if (typeof value === 'string') {
    out.push('<value><string>', escapeText(value), '</string></value>');
  } else if (Array.isArray(value)) {
    out.push('<value><array><data>');
    for (const item of value) encodeInto(item, out, depth + 1, allowNone);
    out.push('</data></array></value>');
  } else if (value instanceof Date) {
    out.push('<value><string>', datetimeString(value), '</string></value>');
  } else if (Buffer.isBuffer(value)) {
    out.push('<value><string>', escapeText(value.toString('utf8')), '</string></value>');
  } else if (value instanceof Map) {
    out.push('<value><struct>');
    for (const [k, v] of value) {
      // Python: only str keys go over XML-RPC (an int-keyed dict is a fault).
      if (typeof k !== 'string') throw typeError('dictionary key must be string');
      out.push('<member><name>', escapeText(k), '</name>');
      encodeInto(v, out, depth + 1, allowNone);
      out.push('</member>');
    }
    out.push('</struct></value>');
  } else if (typeof value === 'object') {
    out.push('<value><struct>');
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined) continue;
      out.push('<member><name>', escapeText(k), '</name>');
      encodeInto(v, out, depth + 1, allowNone);
      out.push('</member>');
    }
    out.push('</struct></value>');
  } else {
    throw typeError(`cannot marshal ${typeof value} objects`);
  }
}

/** A successful answer. Throws (TypeError, OverflowError) where Python's marshaller would. */
export function encodeMethodResponse(value: unknown): string {
  const out = ['<?xml version="1.0"?>\n<methodResponse><params><param>'];
  encodeInto(value, out, 0, false);
  out.push('</param></params></methodResponse>\n');
  return out.join('');
}

/** A fault answer; `code` is an int on /xmlrpc/2, a string on the legacy /xmlrpc. */
export function encodeFault(code: number | string, faultString: string): string {
  const out = ['<?xml version="1.0"?>\n<methodResponse><fault>'];
  encodeInto({ faultCode: code, faultString }, out, 0, false);
  out.push('</fault></methodResponse>\n');
  return out.join('');
}

/** A request, as a client sends it (nil allowed, as xmlrpc.client with allow_none). */
export function encodeMethodCall(methodName: string, params: unknown[]): string {
  const out = ['<?xml version="1.0"?>\n<methodCall><methodName>', escapeText(methodName), '</methodName><params>'];
  for (const p of params) {
    out.push('<param>');
    encodeInto(p, out, 0, true);
    out.push('</param>');
  }
  out.push('</params></methodCall>\n');
  return out.join('');
}
