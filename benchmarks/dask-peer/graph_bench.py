"""The graph shape of FrontendsBench (leaves plus a pairwise reduction tree) on one Dask scheduler.

    python3 graph_bench.py --leaves 50000 --scheduler sync|threads|distributed-threads|distributed-processes

Builds the graph as a Dask low-level graph (a dict of key -> task tuple), runs it once to warm up and once timed,
and prints one JSON line: {"scheduler", "tasks", "seconds", "root"}. Uses Debian's python3-dask and
python3-distributed (benchmarks/run-frontends.sh --dask installs them).
"""
import argparse
import json
import time


def leaf(i):
    return i * 3 + 1


def add(a, b):
    return a + b


def tree(leaves, prefix):
    """Keys carry a prefix so the timed run cannot reuse anything the warm-up left in a distributed cluster."""
    dsk = {}
    level = []
    for i in range(leaves):
        k = prefix + "leaf-%d" % i
        dsk[k] = (leaf, i)
        level.append(k)
    depth = 0
    while len(level) > 1:
        nxt = []
        for i in range(0, len(level) - 1, 2):
            k = prefix + ("root" if len(level) == 2 else "add-%d-%d" % (depth, i))
            dsk[k] = (add, level[i], level[i + 1])
            nxt.append(k)
        if len(level) % 2 == 1:
            nxt.append(level[-1])
        level = nxt
        depth += 1
    return dsk


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--leaves", type=int, default=50000)
    p.add_argument("--scheduler", required=True)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    graphs = {"warm-": tree(a.leaves, "warm-"), "timed-": tree(a.leaves, "timed-")}
    client = None
    cluster = None
    if a.scheduler == "sync":
        import dask.local
        run = lambda p: dask.local.get_sync(graphs[p], p + "root")
    elif a.scheduler == "threads":
        import dask.threaded
        run = lambda p: dask.threaded.get(graphs[p], p + "root", num_workers=a.threads)
    else:
        from dask.distributed import Client, LocalCluster
        processes = a.scheduler == "distributed-processes"
        cluster = LocalCluster(n_workers=a.threads if processes else 1,
                               threads_per_worker=1 if processes else a.threads,
                               processes=processes, dashboard_address=None)
        client = Client(cluster)
        run = lambda p: client.get(graphs[p], p + "root")
    run("warm-")
    start = time.perf_counter()
    root = run("timed-")
    seconds = time.perf_counter() - start
    print(json.dumps({"scheduler": a.scheduler, "tasks": len(graphs["timed-"]), "seconds": seconds, "root": root}))
    if client is not None:
        client.close()
        cluster.close()


if __name__ == "__main__":
    main()
