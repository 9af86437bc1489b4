/**
 * Client addresses: who is calling, through a configured reverse proxy or not, and whether an
 * address is in a list of addresses and CIDR blocks (TRUSTED_PROXIES, METRICS_ALLOW).
 */
import { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

/** '::ffff:10.0.0.1' (an IPv4 client on a dual-stack socket) is '10.0.0.1'. */
export function plainAddress(address: string): string {
  const a = address.trim();
  return /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(a) ? a.slice(7) : a;
}

/** A set of addresses and CIDR blocks, IPv4 and IPv6. */
export class AddressList {
  private readonly list = new BlockList();
  readonly size: number;

  /** Throws on an entry that is not an address or block (config.ts turns that into its one-line error). */
  constructor(entries: string[]) {
    for (const entry of entries) {
      const [address, bits] = entry.split('/');
      const family = isIP(address);
      if (!family) throw new Error(`not an IP address: ${entry}`);
      const type = family === 4 ? 'ipv4' : 'ipv6';
      if (bits === undefined) this.list.addAddress(address, type);
      else {
        const prefix = Number(bits);
        if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128)) throw new Error(`bad prefix length: ${entry}`);
        this.list.addSubnet(address, prefix, type);
      }
    }
    this.size = entries.length;
  }

  has(address: string | undefined): boolean {
    if (!address) return false;
    const a = plainAddress(address);
    const family = isIP(a);
    return family !== 0 && this.list.check(a, family === 4 ? 'ipv4' : 'ipv6');
  }
}

/**
 * The client's address: the socket's peer, unless that peer is a trusted proxy; then the
 * X-Forwarded-For entries are read from the right (each proxy appends the address it saw),
 * skipping trusted proxies, and the first other one is the client. A client cannot forge its
 * way past that: what it writes itself sits to the left of what the trusted proxy appended.
 */
export function clientAddress(req: IncomingMessage, trusted: AddressList): string {
  const peer = plainAddress(req.socket.remoteAddress ?? '');
  if (!trusted.size || !trusted.has(peer)) return peer || 'n/a';
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : header ?? '').split(',').map((h) => plainAddress(h)).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!isIP(hops[i])) return peer;
    if (!trusted.has(hops[i])) return hops[i];
  }
  return hops[0] ?? peer;
}

const parsed = new WeakMap<readonly string[], AddressList>();

/** The AddressList of a configured list (config.ts keeps the entries), built once per list. */
export function addressListOf(entries: readonly string[]): AddressList {
  let list = parsed.get(entries);
  if (!list) parsed.set(entries, (list = new AddressList([...entries])));
  return list;
}

/** The client address of a request to this sidecar (its TRUSTED_PROXIES honoured). */
export function requestAddress(req: IncomingMessage, config: { trustedProxies: readonly string[] }): string {
  return clientAddress(req, addressListOf(config.trustedProxies));
}
