/**
 * True for the host names hpa-lab is allowed to send traffic to: 127.0.0.1, localhost and ::1
 * (with or without the URL brackets).
 *
 * @example
 * isLoopbackHost(new URL('http://[::1]:7100').hostname); // -> true
 * isLoopbackHost('example.com'); // -> false
 */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return h === '127.0.0.1' || h === 'localhost' || h === '::1';
}
