import { isIPv6 } from 'node:net';
import type { ParamProblem } from '../../src/module/contract.js';
import { canonicalAddress, hostPort } from './address.js';
import { realServerPort } from './spec.js';
import type { IpvsServiceParams } from './spec.js';

/**
 * The rules that compare one value with another, which the schema cannot state. They run on params that
 * passed the schema, before any host is contacted (and again after templating).
 */
export function validateIpvsService(params: IpvsServiceParams): readonly ParamProblem[] {
  const problems: ParamProblem[] = [];
  const fwmark = params.fwmark !== undefined || params.protocol === 'fwmark';
  const serviceIpv6 = fwmark ? params.ipv6 === true : params.address !== undefined && isIPv6(params.address);
  const seen = new Map<string, number>();
  for (const [index, server] of (params.real_servers ?? []).entries()) {
    const forwarding = server.forwarding ?? 'dr';
    const port = realServerPort(params, server);
    if (!fwmark && forwarding !== 'nat' && server.port !== undefined && server.port !== params.port) {
      problems.push({
        path: `/real_servers/${index}/port`,
        message: `port ${server.port} differs from the service port ${params.port}: with ${forwarding} forwarding a real server receives the service port (ipvsadm would silently use ${params.port}); use forwarding: nat to map ports, or leave port out`,
      });
    }
    if (isIPv6(server.address) !== serviceIpv6 && forwarding !== 'tunnel') {
      problems.push({
        path: `/real_servers/${index}/address`,
        message: `${server.address} is ${isIPv6(server.address) ? 'IPv6' : 'IPv4'} but the service is ${serviceIpv6 ? 'IPv6' : 'IPv4'}: real servers of the other family need forwarding: tunnel`,
      });
    }
    const id = hostPort(canonicalAddress(server.address), port);
    const first = seen.get(id);
    if (first !== undefined) problems.push({ path: `/real_servers/${index}/address`, message: `real server ${id} is listed twice (first as real_servers[${first}])` });
    else seen.set(id, index);
  }
  const netmask = params.persistence_netmask;
  if (netmask !== undefined) {
    if (serviceIpv6 && (typeof netmask === 'string' || netmask < 1)) {
      problems.push({ path: '/persistence_netmask', message: `an IPv6 service takes a prefix length of 1-128 as persistence_netmask, not ${JSON.stringify(netmask)}` });
    } else if (!serviceIpv6 && typeof netmask === 'number' && netmask > 32) {
      problems.push({ path: '/persistence_netmask', message: `an IPv4 service takes a dotted netmask or a prefix length of 0-32 as persistence_netmask, not ${netmask}` });
    }
  }
  return problems;
}
