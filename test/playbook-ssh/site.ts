/** A multi-task playbook used over SSH: each host converges its own folder under `root`. */
export const MULTI_TASK_PLAYBOOK = `
- hosts: all
  vars:
    port: 8080
  tasks:
    - file: { path: "{{root}}/{{inventory_hostname}}/etc", state: directory, mode: "0755" }
    - copy:
        dest: "{{root}}/{{inventory_hostname}}/etc/app.conf"
        content: "host={{inventory_hostname}}\\nport={{port}}\\n"
        mode: "0640"
      notify: note change
    - lineinfile: { path: "{{root}}/{{inventory_hostname}}/etc/access.list", line: "allow admin", create: true }
    - template: { src: site.conf.hbs, dest: "{{root}}/{{inventory_hostname}}/etc/site.conf" }
    - command: cat {{root}}/{{inventory_hostname}}/etc/app.conf
      register: conf
      changed_when: false
      when: "not ansible_check_mode"
    - assert:
        that: ["regex_match conf.stdout 'port=8080'"]
      when: "not ansible_check_mode"
  handlers:
    - name: note change
      shell: echo changed >> {{root}}/{{inventory_hostname}}/changes.log
`;

export const SITE_TEMPLATE = 'server {{inventory_hostname}}\nlisten {{port}}\n';
