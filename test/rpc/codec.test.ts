import { expect } from 'chai';
import { decodeMethodCall, decodeMethodResponse, encodeMethodCall, encodeMethodResponse, encodeFault } from '../../src/rpc/xml/codec';
import { encodeJson } from '../../src/rpc/json-encode';
import { PyFloat, pyFloat, pyFloatRepr, pyInt, pyStrRepr } from '../../src/rpc/values';
import { PythonError } from '../../src/errors';
import { parseTypedJson } from '../conformance/typed-json';
import { applyIgnore, firstDifference, parsePath, project } from '../conformance/compare';
import { checkArity } from '../../src/rpc/arity';
// The xmlrpc package, to show why its serializer is not used for answers.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const xmlrpcSerializer = require('xmlrpc/lib/serializer');

const call = (params: string) => `<?xml version="1.0"?><methodCall><methodName>m</methodName><params>${params}</params></methodCall>`;
const param = (value: string) => `<param><value>${value}</value></param>`;
const expatMessage = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(PythonError);
    return `${(err as PythonError).pythonType}: ${(err as Error).message}`;
  }
  throw new Error('expected a failure');
};

describe('rpc: XML-RPC codec', () => {
  it('decodes every XML-RPC value type of a request', () => {
    const xml = call(
      param('<int>42</int>') + param('<i4>-7</i4>') + param('<i8>8589934592</i8>') + param('<double>2.5</double>') +
      param('<boolean>1</boolean>') + param('<string>a &amp; b &lt;c&gt; &#233;&#x4e2d;</string>') + param('untyped text') +
      param('<base64>aGVs\nbG8=</base64>') + param('<dateTime.iso8601>20261122T10:15:00</dateTime.iso8601>') + param('<nil/>') +
      param('<array><data><value><int>1</int></value><value><string>x</string></value></data></array>') +
      param('<struct><member><name>k</name><value><boolean>0</boolean></value></member><member><name>__proto__</name><value><int>1</int></value></member></struct>') +
      param('<string><![CDATA[<raw> & text]]></string>'),
    );
    const { methodName, params } = decodeMethodCall(xml);
    expect(methodName).to.equal('m');
    expect(params.slice(0, 11)).to.deep.equal([42, -7, 8589934592, 2.5, true, 'a & b <c> é中', 'untyped text', 'aGVsbG8=', '2026-11-22 10:15:00', null, [1, 'x']]);
    const struct = params[11] as Record<string, unknown>;
    expect(Object.keys(struct)).to.deep.equal(['k', '__proto__']);
    expect(Object.getPrototypeOf(struct)).to.equal(Object.prototype);
    expect(params[12]).to.equal('<raw> & text');
  });

  it('refuses DOCTYPE and entity declarations (no XXE, no entity expansion)', () => {
    const xxe = '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]><methodCall><methodName>&x;</methodName></methodCall>';
    expect(expatMessage(() => decodeMethodCall(xxe))).to.match(/^xml\.parsers\.expat\.ExpatError: DTD and entity declarations are refused: line 1, column 21$/);
    expect(expatMessage(() => decodeMethodCall(call(param('<string>&x;</string>'))))).to.match(/undefined entity/);
  });

  it('reports malformed XML as expat does', () => {
    expect(expatMessage(() => decodeMethodCall('<methodCall><methodName>m</methodName>'))).to.match(/no element found/);
    expect(expatMessage(() => decodeMethodCall('<methodCall><methodName>m</methodCall>'))).to.match(/mismatched tag: line 1, column 25/);
    expect(expatMessage(() => decodeMethodCall('not xml at all'))).to.match(/syntax error/);
    expect(expatMessage(() => decodeMethodCall(call(param('<string>\u0001</string>'))))).to.match(/not well-formed/);
  });

  it('refuses absurd nesting before it can exhaust the stack', () => {
    const deep = '<value><array><data>'.repeat(5000) + '</data></array></value>'.repeat(5000);
    expect(expatMessage(() => decodeMethodCall(call(`<param>${deep}</param>`)))).to.match(/nesting deeper than 256 levels is refused/);
  });

  it('reads ints, booleans and doubles as Python does', () => {
    expect(expatMessage(() => decodeMethodCall(call(param('<int>abc</int>'))))).to.equal("ValueError: invalid literal for int() with base 10: 'abc'");
    expect(expatMessage(() => decodeMethodCall(call(param('<boolean>yes</boolean>'))))).to.equal('TypeError: bad boolean value');
    expect(decodeMethodCall(call(param('<int> 1_000 </int>'))).params).to.deep.equal([1000]);
  });

  it('marshals answers like Odoo: floats stay floats, None is a fault, control characters are stripped', () => {
    // What the xmlrpc package would send: an integral float becomes an <int>, null a <nil/>.
    expect(xmlrpcSerializer.serializeMethodResponse(3646.0)).to.contain('<int>3646</int>');
    expect(xmlrpcSerializer.serializeMethodResponse(null)).to.contain('<nil/>');
    expect(encodeMethodResponse(pyFloat(3646))).to.contain('<double>3646.0</double>');
    expect(encodeMethodResponse(25.900000000000002)).to.contain('<double>25.900000000000002</double>');
    expect(() => encodeMethodResponse(null)).to.throw(PythonError, 'cannot marshal None unless allow_none is enabled');
    expect(() => encodeMethodResponse([1, { a: null }])).to.throw(PythonError, 'cannot marshal None');
    expect(() => encodeMethodResponse(2 ** 31)).to.throw(PythonError, 'int exceeds XML-RPC limits');
    expect(() => encodeMethodResponse(new Map([[1, 'x']]))).to.throw(PythonError, 'dictionary key must be string');
    expect(encodeMethodResponse('a\u0000b\u001fc\td<&>')).to.contain('<string>abc\td&lt;&amp;&gt;</string>');
    expect(encodeMethodResponse(new Date(Date.UTC(2026, 10, 22, 10, 15, 0)))).to.contain('<string>2026-11-22 10:15:00</string>');
  });

  it('round-trips through its own decoder with types intact', () => {
    const value = { id: 3, points: pyFloat(0), ratio: 0.5, name: 'Zoë', ok: false, tags: [1, 2], nested: { deep: [pyFloat(1e16)] } };
    const decoded = decodeMethodResponse(encodeMethodResponse(value), { double: (v) => new PyFloat(v) });
    expect(firstDifference({ result: value }, decoded)).to.equal(null);
    const fault = decodeMethodResponse(encodeFault('warning -- UserError\n\nx', ''));
    expect(fault).to.deep.equal({ fault: { code: 'warning -- UserError\n\nx', string: '' } });
    expect(decodeMethodCall(encodeMethodCall('execute_kw', ['db', 2, null])).params).to.deep.equal(['db', 2, null]);
  });
});

describe('rpc: Python values', () => {
  it('writes floats as Python repr()', () => {
    const cases: Array<[number, string]> = [[0, '0.0'], [3646, '3646.0'], [-87.33, '-87.33'], [25.900000000000002, '25.900000000000002'],
      [1e16, '1e+16'], [1.5e-5, '1.5e-05'], [0.0001, '0.0001'], [123456789012345680, '1.2345678901234568e+17'], [5.1000000000000005, '5.1000000000000005']];
    for (const [v, text] of cases) expect(pyFloatRepr(v), String(v)).to.equal(text);
  });
  it('quotes strings and converts ints like Python', () => {
    expect(pyStrRepr('nosuch')).to.equal("'nosuch'");
    expect(pyStrRepr("it's")).to.equal('"it\'s"');
    expect(pyInt('42')).to.equal(42);
    expect(pyInt(2.9)).to.equal(2);
    expect(pyInt(true)).to.equal(1);
    expect(() => pyInt('abc')).to.throw("invalid literal for int() with base 10: 'abc'");
    expect(() => pyInt(null)).to.throw("not 'NoneType'");
  });
  it('words arity errors as CPython', () => {
    expect(() => checkArity('execute_kw', ['db', 'uid', 'obj', 'method', 'args', 'kw'], 5, 4)).to.throw("execute_kw() missing 1 required positional argument: 'args'");
    expect(() => checkArity('execute_kw', ['db', 'uid', 'obj', 'method', 'args', 'kw'], 5, 3)).to.throw("execute_kw() missing 2 required positional arguments: 'method' and 'args'");
    expect(() => checkArity('execute_kw', ['db', 'uid', 'obj', 'method', 'args', 'kw'], 5, 7)).to.throw('execute_kw() takes from 5 to 6 positional arguments but 7 were given');
    expect(() => checkArity('exp_version', [], 0, 1)).to.throw('exp_version() takes 0 positional arguments but 1 was given');
  });
  it('writes JSON as json.dumps: integral floats keep their .0, int keys become strings', () => {
    expect(encodeJson({ a: pyFloat(2), b: 2, c: [true, null, 'é'], d: new Map<unknown, unknown>([[1, 'x'], [true, 'y']]) })).to.equal('{"a": 2.0, "b": 2, "c": [true, null, "é"], "d": {"1": "x", "true": "y"}}');
  });
  it('escapes in JSON what JSON.stringify escapes, keys included, however often a key recurs', () => {
    const odd = ['plain', 'quote " and \\ backslash', 'tab\tnl\n\u0001', 'lone \ud800 surrogate', 'pair 😀', '\u2028'];
    for (const s of odd) {
      const text = encodeJson({ [s]: s, list: [s, { [s]: [s] }] });
      expect(JSON.parse(text)).to.deep.equal({ [s]: s, list: [s, { [s]: [s] }] });
      expect(text).to.equal(`{${JSON.stringify(s)}: ${JSON.stringify(s)}, "list": [${JSON.stringify(s)}, {${JSON.stringify(s)}: [${JSON.stringify(s)}]}]}`);
    }
    expect(encodeJson([undefined, () => 1, 10n, { skip: undefined, keep: 0 }])).to.equal('[null, null, 10, {"keep": 0}]');
  });
});

describe('conformance tooling', () => {
  it('reads JSON keeping int vs float', () => {
    const v = parseTypedJson('{"a": 2, "b": 2.0, "c": -1e3, "d": [0.5, 7], "e": "x\\u00e9"}') as Record<string, unknown>;
    expect(v.a).to.equal(2);
    expect(v.b).to.be.instanceOf(PyFloat);
    expect(Number(v.b)).to.equal(2);
    expect(v.c).to.be.instanceOf(PyFloat);
    expect(v.e).to.equal('xé');
    expect(firstDifference(parseTypedJson('[2.0]'), parseTypedJson('[2]'))).to.equal('[0]: expected 2 (float), got 2 (int)');
    expect(firstDifference({ a: true }, { a: 1 })).to.match(/expected true, got 1/);
    expect(firstDifference({ a: 1 }, { a: 1, b: 2 })).to.match(/keys differ/);
  });
  it('applies ignore and project paths', () => {
    expect(parsePath('result[*].create_date')).to.deep.equal([{ key: 'result' }, { anyIndex: true }, { key: 'create_date' }]);
    expect(parsePath('a["odd.key"].b')).to.deep.equal([{ key: 'a' }, { key: 'odd.key' }, { key: 'b' }]);
    const [e, a] = applyIgnore({ result: [{ d: '1', x: 1 }] }, { result: [{ d: '2', x: 1 }] }, parsePath('result[*].d'));
    expect(firstDifference(e, a)).to.equal(null);
    const [e2, a2] = applyIgnore({ result: [{ d: '1' }] }, { result: [{}] }, parsePath('result[*].d'));
    expect(firstDifference(e2, a2)).to.match(/keys differ/);
    const reduced = project({ id: 1, result: { uid: 2, user_context: { lang: 'en_US', tz: 'x' }, other: 1 } }, ['result.uid', 'result.user_context.lang', 'result.company_id']);
    expect(reduced).to.deep.equal({ id: 1, result: { uid: 2, user_context: { lang: 'en_US' } } });
  });
});
