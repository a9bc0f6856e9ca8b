/**
 * Splits `name:port` the way Ansible's parse_address does for inventory host keys. A colon inside a
 * range (`web[1:3]`, even an unclosed one) is not a port separator, and a bare IPv6 address (several colons) has no port.
 */
export function splitHostPort(text: string): { host: string; port?: number } {
  // Ansible's bracketed_hostport: `[fe80::1]:1022`, the brackets only delimiting the host.
  const bracketed = /^\[(.+)\]:(\d+)$/.exec(text);
  if (bracketed !== null) return { host: bracketed[1]!, port: Number(bracketed[2]) };
  const outsideBrackets = text.replace(/\[[^\]]*\]/g, (range) => '_'.repeat(range.length));
  if (outsideBrackets.includes('[')) return { host: text };
  const colons = [...outsideBrackets].filter((char) => char === ':').length;
  if (colons !== 1) return { host: text };
  const at = outsideBrackets.indexOf(':');
  const port = text.slice(at + 1);
  if (!/^\d+$/.test(port) || at === 0) return { host: text };
  return { host: text.slice(0, at), port: Number(port) };
}
