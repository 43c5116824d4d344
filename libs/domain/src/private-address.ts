/**
 * Which IP addresses a notification channel may never reach on its own (DESIGN: outbound channels). A county
 * admin types robot and webhook URLs into the console; without this rule a URL could make the worker call the
 * database host, a cloud metadata service or the intranet OA. Both the configure-time check
 * (`validateChannelEndpoint`) and the send-time check (libs/notify, after DNS) use this one classification.
 *
 * Pure on purpose (no `node:net`): libs/domain is bundled into the workflows, which may not use Node built-ins.
 */

/** [first address as a number, prefix length] of every IPv4 range that is not the public Internet. */
const PRIVATE_IPV4_RANGES: ReadonlyArray<readonly [string, number]> = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, where cloud metadata services live
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and 255.255.255.255 broadcast
];

const IPV4_PART = /^(0|[1-9][0-9]{0,2})$/;
const HEX_GROUP = /^[0-9a-f]{1,4}$/i;

/** Dotted-decimal IPv4 as an unsigned 32-bit number, or null. Only the canonical form: `URL` normalizes others. */
function parseIpv4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((part) => IPV4_PART.test(part))) return null;
  const bytes = parts.map(Number);
  if (bytes.some((byte) => byte > 255)) return null;
  return ((bytes[0] << 24) >>> 0) + (bytes[1] << 16) + (bytes[2] << 8) + bytes[3];
}

/** IPv6 (optionally in brackets, with a zone id or a dotted IPv4 tail) as eight 16-bit groups, or null. */
function parseIpv6(text: string): number[] | null {
  let address = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const zone = address.indexOf('%');
  if (zone >= 0) address = address.slice(0, zone);
  if (!address.includes(':')) return null;
  const halves = address.split('::');
  if (halves.length > 2) return null;
  const groupsOf = (half: string): number[] | null => {
    if (half === '') return [];
    const groups: number[] = [];
    const pieces = half.split(':');
    for (const [index, piece] of pieces.entries()) {
      if (index === pieces.length - 1 && piece.includes('.')) {
        const ipv4 = parseIpv4(piece);
        if (ipv4 === null) return null;
        groups.push(ipv4 >>> 16, ipv4 & 0xffff);
      } else if (HEX_GROUP.test(piece)) {
        groups.push(parseInt(piece, 16));
      } else {
        return null;
      }
    }
    return groups;
  };
  const head = groupsOf(halves[0]);
  const tail = halves.length === 2 ? groupsOf(halves[1]) : [];
  if (head === null || tail === null) return null;
  if (halves.length === 1) return head.length === 8 ? head : null;
  const missing = 8 - head.length - tail.length;
  if (missing < 1) return null;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}

function isPrivateIpv4(address: number): boolean {
  return PRIVATE_IPV4_RANGES.some(([first, prefix]) => {
    const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
    return (address & mask) >>> 0 === (parseIpv4(first)! & mask) >>> 0;
  });
}

function isPrivateIpv6(groups: number[]): boolean {
  const embeddedIpv4 = ((groups[6] << 16) >>> 0) + groups[7];
  const zeros = (count: number): boolean => groups.slice(0, count).every((group) => group === 0);
  // ::a.b.c.d (IPv4-compatible, also :: and ::1) and ::ffff:a.b.c.d (IPv4-mapped) reach the IPv4 address inside.
  if (zeros(6)) return groups[6] === 0 && groups[7] <= 1 ? true : isPrivateIpv4(embeddedIpv4);
  if (zeros(5) && groups[5] === 0xffff) return isPrivateIpv4(embeddedIpv4);
  // 64:ff9b::/96, the NAT64 prefix, likewise translates to the IPv4 address it carries.
  if (groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((group) => group === 0))
    return isPrivateIpv4(embeddedIpv4);
  if ((groups[0] & 0xfe00) === 0xfc00) return true; // fc00::/7 unique local
  if ((groups[0] & 0xffc0) === 0xfe80) return true; // fe80::/10 link-local
  if ((groups[0] & 0xffc0) === 0xfec0) return true; // fec0::/10 site-local (deprecated, still routed inside)
  if ((groups[0] & 0xff00) === 0xff00) return true; // ff00::/8 multicast
  return false;
}

/** Whether `text` is an IPv4 or IPv6 address literal (IPv6 may be in brackets, as `URL.hostname` gives it). */
export function isIpAddress(text: string): boolean {
  return parseIpv4(text) !== null || parseIpv6(text) !== null;
}

/**
 * Whether an address is loopback, private, link-local, carrier-grade NAT, "this network", multicast or reserved —
 * anything but the public Internet — including IPv6 forms that carry such an IPv4 address. Text that is not an
 * address counts as private: the answer guards a door, so it fails closed.
 */
export function isPrivateAddress(ip: string): boolean {
  const ipv4 = parseIpv4(ip);
  if (ipv4 !== null) return isPrivateIpv4(ipv4);
  const ipv6 = parseIpv6(ip);
  if (ipv6 !== null) return isPrivateIpv6(ipv6);
  return true;
}
