const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/**
 * `4`, `6` or `0` (not an address), as `node:net`'s `isIP` says, without loading `node:net`: the
 * options are checked in the fetch handler too. IPv6 is judged by the WHATWG URL parser.
 *
 * @example
 * ipVersion('10.0.0.1'); // 4
 * ipVersion('::1');      // 6
 */
export function ipVersion(address: string): 0 | 4 | 6 {
  if (IPV4.test(address)) return 4;
  if (!address.includes(':') || /[[\]/?#@\s]/.test(address)) return 0;
  const zone = address.indexOf('%');
  try {
    new URL(`http://[${zone === -1 ? address : address.slice(0, zone)}]/`);
    return 6;
  } catch {
    return 0;
  }
}
