/**
 * The same work written twice: as a rackplay playbook and as an Ansible playbook. Both template
 * languages read `{{ name }}` the same way for plain variables, so most lines are shared.
 */
export interface Workload {
  readonly rackplay: string;
  readonly ansible: string;
  readonly tasksPerHost: number;
}

/** 200 tasks on localhost: file, copy, lineinfile, set_fact, command (40 of each). */
export function localWorkload(root: string, rounds = 40): Workload {
  const tasks: string[] = [];
  for (let i = 0; i < rounds; i++) {
    tasks.push(
      `    - file: { path: "${root}/d${i}", state: directory, mode: "0755" }`,
      `    - copy: { content: "value ${i}\\n", dest: "${root}/d${i}/c.txt", mode: "0644" }`,
      `    - lineinfile: { path: "${root}/d${i}/l.txt", line: "line ${i}", create: true, mode: "0644" }`,
      `    - set_fact: { fact_${i}: "${i}" }`,
      `    - command: { argv: [test, -d, "${root}/d${i}"] }\n      changed_when: false`,
    );
  }
  const ansibleTasks = tasks.map((task) => task.replace(/command: \{ argv: \[test, -d, "([^"]+)"\] \}/, 'command: test -d $1'));
  const header = (connection: string) => `- hosts: localhost\n  gather_facts: false\n${connection}  tasks:\n`;
  return {
    rackplay: header('') + tasks.join('\n') + '\n',
    ansible: header('  connection: local\n') + ansibleTasks.join('\n') + '\n',
    tasksPerHost: rounds * 5,
  };
}

/** 10 tasks per host over SSH, each host in its own folder on the target. */
export function sshWorkload(rootVar = 'bench_root'): Workload {
  const dir = `{{ ${rootVar} }}/{{ inventory_hostname }}`;
  const shared = [
    `    - file: { path: "${dir}", state: directory, mode: "0755" }`,
    `    - file: { path: "${dir}/conf.d", state: directory, mode: "0755" }`,
    `    - copy: { content: "name={{ inventory_hostname }}\\n", dest: "${dir}/name.conf", mode: "0644" }`,
    `    - copy: { content: "port=8080\\n", dest: "${dir}/conf.d/port.conf", mode: "0644" }`,
    `    - lineinfile: { path: "${dir}/access.list", line: "allow admin", create: true, mode: "0644" }`,
    `    - lineinfile: { path: "${dir}/access.list", regexp: "^deny", line: "deny all", mode: "0644" }`,
    `    - command: cat ${dir}/name.conf\n      changed_when: false`,
    `    - shell: test -s ${dir}/name.conf && echo present\n      changed_when: false`,
    `    - command: test -f ${dir}/conf.d/port.conf\n      changed_when: false`,
  ];
  const template = (src: string) => `    - template: { src: "${src}", dest: "${dir}/site.conf", mode: "0644" }`;
  const header = `- hosts: all\n  gather_facts: false\n  tasks:\n`;
  return {
    rackplay: header + [...shared, template('site.conf.hbs')].join('\n') + '\n',
    ansible: header + [...shared, template('site.conf.j2')].join('\n') + '\n',
    tasksPerHost: shared.length + 1,
  };
}

/** The template used by both sides; the syntax is common to Handlebars and Jinja2. */
export const SITE_TEMPLATE = 'server {{ inventory_hostname }}\nlisten 8080\n';

/**
 * Fact gathering's cost: one trivial task per host, with the play's gather_facts on or off. Both sides
 * gather or neither; Ansible runs its `setup` module (default subset), rackplay its one sh script.
 */
export function factsWorkload(gather: boolean): Workload {
  const playbook = `- hosts: all\n  gather_facts: ${gather}\n  tasks:\n    - command: "true"\n      changed_when: false\n`;
  return { rackplay: playbook, ansible: playbook, tasksPerHost: 1 };
}

/**
 * sshWorkload's ten tasks as a pyinfra 3 deploy: the same files, lines and commands. pyinfra's `files.line`
 * takes no mode, and `server.shell` always runs (as the other two's `changed_when: false` commands do).
 */
export function pyinfraDeploy(rootVar = 'bench_root'): string {
  const dir = `f"{host.data.${rootVar}}/{host.name}"`;
  return [
    'from io import StringIO',
    'from pyinfra import host',
    'from pyinfra.operations import files, server',
    `dir = ${dir}`,
    'files.directory(path=dir, mode="755")',
    'files.directory(path=f"{dir}/conf.d", mode="755")',
    'files.put(src=StringIO(f"name={host.name}\\n"), dest=f"{dir}/name.conf", mode="644")',
    'files.put(src=StringIO("port=8080\\n"), dest=f"{dir}/conf.d/port.conf", mode="644")',
    'files.line(path=f"{dir}/access.list", line="allow admin")',
    'files.line(path=f"{dir}/access.list", line="^deny", replace="deny all")',
    'server.shell(commands=[f"cat {dir}/name.conf"])',
    'server.shell(commands=[f"test -s {dir}/name.conf && echo present"])',
    'server.shell(commands=[f"test -f {dir}/conf.d/port.conf"])',
    'files.template(src="site.conf.j2", dest=f"{dir}/site.conf", mode="644", inventory_hostname=host.name)',
    '',
  ].join('\n');
}

/** A pyinfra inventory of n names (lab-1 … lab-n), all at one loopback sshd, as the YAML inventory has. */
export function pyinfraInventory(n: number, lab: { port: number; user: string; privateKeyPath: string; knownHostsFile: string }): string {
  const data = `{"ssh_hostname": "127.0.0.1", "ssh_port": ${lab.port}, "ssh_user": ${JSON.stringify(lab.user)}, "ssh_key": ${JSON.stringify(lab.privateKeyPath)}, "ssh_known_hosts_file": ${JSON.stringify(lab.knownHostsFile)}}`;
  const hosts = Array.from({ length: n }, (_, i) => `    ("lab-${i + 1}", DATA),`);
  return [`DATA = ${data}`, 'hosts = [', ...hosts, ']', ''].join('\n');
}
