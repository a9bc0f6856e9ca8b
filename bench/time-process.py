#!/usr/bin/env python3
"""Runs one command as a whole process, from exec to exit, the same way for every tool, and prints one JSON
line on fd 3: wall time, exit code, the largest single process's peak RSS (wait4, exact) and the peak of the
whole process tree's summed RSS (sampled every 100 ms: Ansible and pyinfra fork workers). stdout goes to the
file named by the first argument."""
import json, os, resource, sys, threading, time

out_path, argv = sys.argv[1], sys.argv[2:]
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def tree_rss_kb(root):
    parents, rss = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        rss[int(entry)] = int(fields[21]) * PAGE_KB
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(child for child, parent in parents.items() if parent == pid)
    return total


started = time.perf_counter()
with open(out_path, "wb") as out:
    pid = os.fork()
    if pid == 0:
        os.dup2(out.fileno(), 1)
        os.execvp(argv[0], argv)
    peak_tree = [0]
    done = threading.Event()

    def sample():
        while not done.wait(0.1):
            peak_tree[0] = max(peak_tree[0], tree_rss_kb(pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(pid, 0)
    wall_ms = (time.perf_counter() - started) * 1000
    done.set()
    sampler.join()
peak_kb = max(usage.ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
report = {"wallMs": wall_ms, "code": os.waitstatus_to_exitcode(status), "maxRssKb": peak_kb, "treeRssKb": max(peak_tree[0], peak_kb)}
os.write(3, (json.dumps(report) + "\n").encode())
