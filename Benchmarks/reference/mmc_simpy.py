"""The M/M/c reference for `drill-bench mmc`: the same model in SimPy 4.

One FIFO queue in front of `servers` identical servers, Poisson arrivals at `lambda`,
exponential service at `mu`, `customers` customers. Prints one JSON line with
customers_per_second, to set beside drill-bench's on the same machine:

    pip install simpy
    python3 Benchmarks/reference/mmc_simpy.py --customers 200000
"""
import argparse
import json
import random
import time

import simpy


def run(lam, mu, servers, customers, seed):
    env = simpy.Environment()
    pool = simpy.Resource(env, capacity=servers)
    rng = random.Random(seed)
    waits = []
    sojourns = []

    def customer(env):
        arrived = env.now
        with pool.request() as req:
            yield req
            waits.append(env.now - arrived)
            yield env.timeout(rng.expovariate(mu))
        sojourns.append(env.now - arrived)

    def source(env):
        for _ in range(customers):
            yield env.timeout(rng.expovariate(lam))
            env.process(customer(env))

    env.process(source(env))
    env.run()
    return sum(waits) / len(waits), sum(sojourns) / len(sojourns)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lambda", dest="lam", type=float, default=80)
    parser.add_argument("--mu", type=float, default=10)
    parser.add_argument("--servers", type=int, default=10)
    parser.add_argument("--customers", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    a = parser.parse_args()
    run(a.lam, a.mu, a.servers, min(a.customers, 10_000), a.seed)  # warm-up
    start = time.perf_counter()
    wait, sojourn = run(a.lam, a.mu, a.servers, a.customers, a.seed)
    seconds = time.perf_counter() - start
    print(json.dumps({
        "engine": "simpy " + simpy.__version__, "customers": a.customers, "mean_wait": wait,
        "mean_sojourn": sojourn, "seconds": round(seconds, 3),
        "customers_per_second": round(a.customers / seconds),
    }))


if __name__ == "__main__":
    main()
