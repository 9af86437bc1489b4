import Ajv, { JSONSchemaType, ValidateFunction } from 'ajv';
import { ApiError } from './errors';

const ajv = new Ajv({ allErrors: false, strict: true });

/** Compiles a request schema once; the returned function throws a 400 naming the bad field. */
export function validator<T>(schema: JSONSchemaType<T>): (body: unknown) => T {
  const check: ValidateFunction<T> = ajv.compile(schema);
  return (body) => {
    if (check(body)) return body;
    const err = check.errors![0];
    const where = err.instancePath ? err.instancePath.slice(1).replace(/\//g, '.') : 'body';
    const extra = err.keyword === 'additionalProperties' ? ` (${(err.params as { additionalProperty: string }).additionalProperty})` : '';
    throw new ApiError(400, 'invalid_request', `${where} ${err.message}${extra}`);
  };
}
