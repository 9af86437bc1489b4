// eslint-disable-next-line @typescript-eslint/no-var-requires
const serializer = require('xmlrpc/lib/serializer');

export function serializeMethodResponse(value: unknown): string {
  return serializer.serializeMethodResponse(value);
}
