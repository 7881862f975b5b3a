/** IPv4 and IPv6 addresses and CIDR ranges, compared as bigints (no dependency needed). */

function parseV4(s: string): bigint | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  let v = 0n;
  for (let i = 1; i <= 4; i++) {
    const n = Number(m[i]);
    if (n > 255) return undefined;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

function parseV6(s: string): bigint | undefined {
  let text = s;
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  // Embedded IPv4 tail (::ffff:1.2.3.4)
  const lastColon = text.lastIndexOf(':');
  let tail: number[] = [];
  if (lastColon >= 0 && text.slice(lastColon + 1).includes('.')) {
    const v4 = parseV4(text.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    tail = [Number(v4 >> 16n), Number(v4 & 0xffffn)];
    text = text.slice(0, lastColon + 1) + '0:0';
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const rest = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  // More than 8 groups around '::' is no address (and a negative fill would throw on an attacker's value).
  if (head.length + rest.length > 8) return undefined;
  const groups = halves.length === 2 ? [...head, ...Array(8 - head.length - rest.length).fill('0'), ...rest] : head;
  if (groups.length !== 8) return undefined;
  let v = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    v = (v << 16n) | BigInt(parseInt(g, 16));
  }
  if (tail.length) v = (v & ~0xffffffffn) | (BigInt(tail[0]) << 16n) | BigInt(tail[1]);
  return v;
}

export interface IpAddress {
  v6: boolean;
  value: bigint;
}

export function parseIp(s: string): IpAddress | undefined {
  const t = s.trim();
  const v4 = parseV4(t);
  if (v4 !== undefined) return { v6: false, value: v4 };
  if (!t.includes(':')) return undefined;
  const v6 = parseV6(t);
  if (v6 === undefined) return undefined;
  // IPv4-mapped IPv6 addresses compare as IPv4.
  if (v6 >> 32n === 0xffffn) return { v6: false, value: v6 & 0xffffffffn };
  return { v6: true, value: v6 };
}

export interface Cidr {
  v6: boolean;
  network: bigint;
  mask: bigint;
}

export function parseCidr(s: string): Cidr | undefined {
  const [addr, bitsText] = s.trim().split('/');
  const ip = parseIp(addr);
  if (!ip) return undefined;
  const width = ip.v6 ? 128 : 32;
  const bits = bitsText === undefined ? width : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > width) return undefined;
  const all = (1n << BigInt(width)) - 1n;
  const mask = (all << BigInt(width - bits)) & all;
  return { v6: ip.v6, network: ip.value & mask, mask };
}

export function cidrContains(c: Cidr, ip: IpAddress): boolean {
  return c.v6 === ip.v6 && (ip.value & c.mask) === c.network;
}
