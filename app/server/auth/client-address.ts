// Who is asking, as far as limits are concerned. Only CF-Connecting-IP is trusted: Cloudflare
// sets it on every request it forwards and overwrites what a client sent, while X-Real-IP and
// X-Forwarded-For are whatever the client says. An IPv6 address counts per /64, the block one
// subscriber is usually given (one host can use any of its 2^64 addresses).

/** The client's address as Cloudflare reports it; "local" when there is none (local runs). */
export function clientAddress(request: Request): string {
  return request.headers.get("CF-Connecting-IP")?.trim() || "local";
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const HEXTET = /^[0-9a-f]{1,4}$/;

function ipv4(text: string): string | null {
  const parts = IPV4.exec(text);
  if (!parts) return null;
  const octets = parts.slice(1).map(Number);
  return octets.every((octet) => octet <= 255) ? octets.join(".") : null;
}

/** The eight 16-bit groups of an IPv6 address, or null when it is not one. */
export function ipv6Groups(text: string): number[] | null {
  let address = text.toLowerCase().replace(/^\[|\]$/g, "");
  const zone = address.indexOf("%");
  if (zone >= 0) address = address.slice(0, zone);
  // An embedded IPv4 address (::ffff:192.0.2.1) is the last two groups.
  const lastColon = address.lastIndexOf(":");
  const dotted = lastColon >= 0 ? ipv4(address.slice(lastColon + 1)) : null;
  if (dotted) {
    const [a = 0, b = 0, c = 0, d = 0] = dotted.split(".").map(Number);
    const hex = (high: number, low: number) => ((high << 8) | low).toString(16);
    address = `${address.slice(0, lastColon + 1)}${hex(a, b)}:${hex(c, d)}`;
  }
  const halves = address.split("::");
  if (halves.length > 2) return null;
  const parse = (half: string | undefined) => (half ? half.split(":") : []);
  const head = parse(halves[0]);
  const rest = parse(halves[1]);
  if (![...head, ...rest].every((group) => HEXTET.test(group))) return null;
  let groups: number[];
  if (halves.length === 2) {
    const missing = 8 - head.length - rest.length;
    if (missing < 1) return null;
    groups = [...head, ...Array<string>(missing).fill("0"), ...rest].map((group) => Number.parseInt(group, 16));
  } else {
    if (head.length !== 8) return null;
    groups = head.map((group) => Number.parseInt(group, 16));
  }
  return groups;
}

/**
 * The bucket an address is counted in: an IPv4 address itself, an IPv6 address's /64 (an
 * IPv4-mapped IPv6 address counts as its IPv4 address), anything else as sent (bounded).
 */
export function addressBucket(address: string): string {
  const v4 = ipv4(address);
  if (v4) return v4;
  const groups = address.includes(":") ? ipv6Groups(address) : null;
  if (groups) {
    const mapped = groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff;
    const [g6 = 0, g7 = 0] = groups.slice(6);
    if (mapped) return `${g6 >> 8}.${g6 & 255}.${g7 >> 8}.${g7 & 255}`;
    return `${groups
      .slice(0, 4)
      .map((group) => group.toString(16))
      .join(":")}::/64`;
  }
  return address.slice(0, 64).toLowerCase();
}
