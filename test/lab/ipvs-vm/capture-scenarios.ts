/**
 * What the fixture capture builds, as ipvsadm argument lines (the `ipvsadm -R` format). Together they cover
 * tcp, udp, sctp, fwmark (v4 and v6), IPv6 `[addr]:port`, persistence with and without a netmask, port 0,
 * all three forwarding methods, weights (0 = drained), thresholds, scheduler flags, one-packet and every
 * scheduler. Real servers sit in 10.1.1.0/24 and fd00:1::/64, the VM's dummy-interface subnets.
 */
export const MIXED_RULES: readonly string[] = [
  '-A -t 10.0.0.1:80 -s rr',
  '-a -t 10.0.0.1:80 -r 10.1.1.2:80 -m -w 3',
  '-a -t 10.0.0.1:80 -r 10.1.1.3:8080 -m -w 1',
  '-a -t 10.0.0.1:80 -r 10.1.1.4:80 -m -w 0',
  '-A -t 10.0.0.2:443 -s wlc -p 600 -M 255.255.255.0',
  '-a -t 10.0.0.2:443 -r 10.1.1.5:443 -g -w 2',
  '-a -t 10.0.0.2:443 -r 10.1.1.6:443 -i -w 1 -x 100 -y 50',
  '-A -t 10.0.0.3:0 -s lc -p',
  '-a -t 10.0.0.3:0 -r 10.1.1.7:0 -g',
  '-A -u 10.0.0.4:53 -s sh -b sh-fallback,sh-port -o',
  '-a -u 10.0.0.4:53 -r 10.1.1.8:53 -m -w 5',
  '-a -u 10.0.0.4:53 -r 10.1.1.9:5353 -m -w 1 -x 1000 -y 10',
  '-A -f 1 -s wrr',
  '-a -f 1 -r 10.1.1.10:0 -g -w 4',
  '-a -f 1 -r 10.1.1.11:0 -i -w 1',
  '-A -f 2 -6 -s mh -b mh-fallback,mh-port',
  '-a -f 2 -6 -r [fd00:1::10]:0 -g -w 1',
  '-A -f 3 -s rr -p 300 -M 255.255.0.0',
  '-a -f 3 -r 10.1.1.13:0 -g -w 1',
  '-A -t [fd00::1]:80 -s rr',
  '-a -t [fd00::1]:80 -r [fd00:1::2]:8080 -m -w 2',
  '-a -t [fd00::1]:80 -r [fd00:1::3]:80 -g -w 1',
  '-A -u [fd00::1]:53 -s nq -o',
  '-a -u [fd00::1]:53 -r [fd00:1::4]:53 -m -w 1',
  '-A -t [fd00::2]:443 -s wlc -p 120 -M 64',
  '-a -t [fd00::2]:443 -r [fd00:1::5]:443 -i -w 1',
  '--add-service --sctp-service 10.0.0.5:3868 -s sed',
  '--add-server --sctp-service 10.0.0.5:3868 -r 10.1.1.12:3868 -m -w 1',
  '-A -t 10.0.0.6:8080 -s dh',
  '-A -t 10.0.0.7:8080 -s lblc',
  '-A -t 10.0.0.8:8080 -s lblcr',
  '-A -t 10.0.0.9:8080 -s fo',
  '-A -t 10.0.0.10:8080 -s ovf',
  '-A -t 10.0.0.11:8080 -s sed -p 3600 -M 255.255.0.0',
  '-A -t 10.0.0.12:8080 -s sh -b sh-port',
  '-A -t 10.0.0.13:8080 -s mh -b mh-fallback',
];

/**
 * kube-proxy's IPVS mode: one rr service per ClusterIP:port, masquerading to pod IPs, many of them.
 * Pods sit in 10.244.0.0/16, which the capture routes through the dummy interface first.
 */
export function kubeProxyStyleRules(services: number): string[] {
  const rules: string[] = [];
  for (let i = 0; i < services; i++) {
    const clusterIp = `10.96.${Math.floor(i / 200)}.${(i % 200) + 1}`;
    const udp = i % 10 === 9;
    const port = udp ? 53 : [80, 443, 8080, 9090][i % 4]!;
    const flag = udp ? '-u' : '-t';
    rules.push(`-A ${flag} ${clusterIp}:${port} -s rr`);
    for (let pod = 0; pod < (i % 3) + 1; pod++) {
      rules.push(`-a ${flag} ${clusterIp}:${port} -r 10.244.${(i * 3 + pod) % 250}.${(pod % 250) + 2}:${port + 8000} -m -w 1`);
    }
  }
  return rules;
}
