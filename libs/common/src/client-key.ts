import { isIPv6 } from 'node:net';

/**
 * The address a limit counts against: the IP itself, an IPv4-mapped IPv6 address as IPv4, and
 * other IPv6 addresses by their /64 (one subscriber's network: any address in it is theirs).
 * Used by the rate limiter and by the staff sign-in throttle, so both count an address alike.
 */
export function clientKey(ip: string | null | undefined): string {
  if (!ip) return 'unknown';
  if (ip.startsWith('::ffff:') && ip.includes('.')) return ip.slice(7);
  if (!isIPv6(ip)) return ip;
  const [head, tail] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  const groups =
    tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
