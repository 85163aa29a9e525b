#!/usr/bin/env python3
"""What the instances of some classes keep alive, from a heap dump: for each class given (or
group of classes joined by +), the bytes that would become garbage if all its instances were gone (reachable from the GC roots only
through them), per instance, and the classes those bytes are made of. Where a class histogram
says which kinds of objects grew, this says which holder they grew under: run it on the classes
that heap_holders.py names as holders.

  jcmd <pid> GC.heap_dump /tmp/app.hprof
  bench/tools/heap_retained.py /tmp/app.hprof 'graphql.execution.ExecutionContext,...' [TOP]

Sizes are shallow sizes as a 64-bit JVM with compressed references lays objects out (12-byte
headers, 4-byte references, 8-byte alignment): close to, not exactly, what the JVM reports.
TOP (classes listed per holder) defaults to 12. Needs memory about 10x the dump's size. Not a test."""
import collections
import sys

from heap_holders import read


def reachable(roots, outgoing, kinds, barrier):
    seen = set()
    stack = [r for r in roots if r in kinds and r not in barrier]
    seen.update(stack)
    while stack:
        oid = stack.pop()
        for _, target in outgoing(oid):
            if target not in seen and target in kinds and target not in barrier:
                seen.add(target)
                stack.append(target)
    return seen


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    top = int(sys.argv[3]) if len(sys.argv) > 3 else 12
    kinds, outgoing, class_of = read(sys.argv[1])
    size, roots = read.size, read.roots
    live = reachable(roots, outgoing, kinds, set())
    for target in sys.argv[2].split(','):
        group = set(target.split('+'))
        holders = {oid for oid in live if class_of(oid) in group}
        if not holders:
            print('== %s: no live instances' % target)
            continue
        without = reachable(roots, outgoing, kinds, holders)
        kept = collections.Counter()
        counts = collections.Counter()
        for oid in live - without:
            kept[class_of(oid)] += size(oid)
            counts[class_of(oid)] += 1
        total = sum(kept.values())
        print('== %s: %d instances keep %.0f bytes each' % (target, len(holders), total / len(holders)))
        for name, bytes_ in kept.most_common(top):
            print('%8.0f B %7.2f  %s' % (bytes_ / len(holders), counts[name] / len(holders), name))


if __name__ == '__main__':
    main()
