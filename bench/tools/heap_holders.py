#!/usr/bin/env python3
"""Who holds the instances of some classes, from a heap dump: for each class given, how many
instances there are and, grouped and counted, the chain of fields that refer to them (the first
referrer at each step, DEPTH steps up). This is how the per-event leak of graphql-java 25.0
(a CallStack kept per delivered subscription event) was found, where a class histogram only
showed ConcurrentHashMaps growing.

  jcmd <pid> GC.heap_dump /tmp/app.hprof      # live objects only
  bench/tools/heap_holders.py /tmp/app.hprof 'java.util.concurrent.ConcurrentHashMap,[B' [DEPTH] [TOP]

DEPTH defaults to 5 and TOP (chains shown per class) to 25. Reads HPROF 1.0.2 with 8-byte ids
(a 64-bit JVM); needs memory about 10x the dump's size and about a minute per 200 MB. Not a test."""
import collections
import struct
import sys

SIZES = {2: 8, 4: 1, 5: 2, 6: 4, 7: 8, 8: 1, 9: 2, 10: 4, 11: 8}
ARRAYS = {4: '[Z', 5: '[C', 6: '[F', 7: '[D', 8: '[B', 9: '[S', 10: '[I', 11: '[J'}
Q = struct.Struct('>Q')
I = struct.Struct('>I')
H = struct.Struct('>H')


def read(path):
    """Every object's class and outgoing references (instance fields resolved lazily)."""
    data = open(path, 'rb').read()
    p = data.index(b'\0') + 1
    if I.unpack_from(data, p)[0] != 8:
        sys.exit('only 8-byte ids are supported')
    p += 12
    strings, names, supers, fields, kinds, refs, sizes, roots = {}, {}, {}, {}, {}, {}, {}, []
    while p < len(data):
        tag, length = data[p], I.unpack_from(data, p + 5)[0]
        p += 9
        end = p + length
        if tag == 0x01:
            strings[Q.unpack_from(data, p)[0]] = data[p + 8:end].decode('utf-8', 'replace')
        elif tag == 0x02:
            names[Q.unpack_from(data, p + 4)[0]] = strings.get(Q.unpack_from(data, p + 16)[0], '?').replace('/', '.')
        elif tag in (0x0C, 0x1C):
            while p < end:
                sub = data[p]
                p += 1
                if sub in (0xFF, 0x05, 0x07):  # GC roots
                    roots.append(Q.unpack_from(data, p)[0])
                    p += 8
                elif sub in (0x01, 0x02, 0x03, 0x08):
                    roots.append(Q.unpack_from(data, p)[0])
                    p += 16
                elif sub in (0x04, 0x06):
                    roots.append(Q.unpack_from(data, p)[0])
                    p += 12
                elif sub == 0x20:  # class dump
                    cid, sup = Q.unpack_from(data, p)[0], Q.unpack_from(data, p + 12)[0]
                    p += 64
                    count = H.unpack_from(data, p)[0]  # constant pool
                    p += 2
                    for _ in range(count):
                        p += 3 + SIZES[data[p + 2]]
                    count = H.unpack_from(data, p)[0]  # static fields
                    p += 2
                    statics = []
                    for _ in range(count):
                        kind = data[p + 8]
                        if kind == 2:
                            statics.append(('static ' + strings.get(Q.unpack_from(data, p)[0], '?'), Q.unpack_from(data, p + 9)[0]))
                        p += 9 + SIZES[kind]
                    count = H.unpack_from(data, p)[0]  # instance fields
                    p += 2
                    own = []
                    for _ in range(count):
                        own.append((strings.get(Q.unpack_from(data, p)[0], '?'), data[p + 8]))
                        p += 9
                    supers[cid], fields[cid] = sup, own
                    kinds[cid], refs[cid] = 'CLASS', statics
                elif sub == 0x21:  # instance
                    oid, cid, size = Q.unpack_from(data, p)[0], Q.unpack_from(data, p + 12)[0], I.unpack_from(data, p + 20)[0]
                    kinds[oid], refs[oid] = cid, (p + 24, size)
                    p += 24 + size
                elif sub == 0x22:  # object array
                    oid, count, cid = Q.unpack_from(data, p)[0], I.unpack_from(data, p + 12)[0], Q.unpack_from(data, p + 16)[0]
                    kinds[oid], refs[oid] = cid, [('[]', r) for r in struct.unpack_from('>%dQ' % count, data, p + 24) if r]
                    sizes[oid] = 16 + 4 * count
                    p += 24 + 8 * count
                elif sub == 0x23:  # primitive array
                    oid, count, kind = Q.unpack_from(data, p)[0], I.unpack_from(data, p + 12)[0], data[p + 16]
                    kinds[oid] = ARRAYS[kind]
                    sizes[oid] = 16 + count * SIZES[kind]
                    p += 17 + count * SIZES[kind]
                else:
                    sys.exit('unknown heap dump record %#x' % sub)
        p = end

    layouts = {}

    def layout(cid):
        if cid not in layouts:
            out, c = [], cid
            while c:
                out += [(names.get(c, '?') + '.' + name, kind) for name, kind in fields.get(c, [])]
                c = supers.get(c, 0)
            layouts[cid] = out
        return layouts[cid]

    def outgoing(oid):
        r = refs.get(oid)
        if r is None or isinstance(r, list):
            return r or []
        offset, _ = r
        result = []
        for name, kind in layout(kinds[oid]):
            if kind == 2:
                value = Q.unpack_from(data, offset)[0]
                if value:
                    result.append((name, value))
            offset += SIZES[kind]
        return result

    def class_of(oid):
        kind = kinds.get(oid)
        return kind if isinstance(kind, str) else names.get(kind, '?')

    def size(oid):
        """Shallow size as a 64-bit JVM with compressed references lays it out (approximately)."""
        known = sizes.get(oid)
        if known is None:
            r = refs.get(oid)
            if r is None or isinstance(r, list):
                return 0
            references = sum(1 for _, kind in layout(kinds[oid]) if kind == 2)
            known = 12 + r[1] - 4 * references
        return (known + 7) & ~7

    read.size, read.roots = size, roots + [oid for oid, kind in kinds.items() if kind == 'CLASS']
    return kinds, outgoing, class_of


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    targets = sys.argv[2].split(',')
    depth = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    top = int(sys.argv[4]) if len(sys.argv) > 4 else 25
    kinds, outgoing, class_of = read(sys.argv[1])
    referrers = collections.defaultdict(list)
    for oid in kinds:
        for field, target in outgoing(oid):
            if target in kinds:
                referrers[target].append((oid, field))
    for target in targets:
        chains, count = collections.Counter(), 0
        for oid in kinds:
            if class_of(oid) != target:
                continue
            count += 1
            chain, current, seen = [], oid, {oid}
            for _ in range(depth):
                holders = [h for h in referrers.get(current, []) if h[0] not in seen]
                if not holders:
                    break
                holder, field = holders[0]
                chain.append(field if field != '[]' else class_of(holder))
                seen.add(holder)
                current = holder
            chains[' <- '.join(chain) or '(a GC root)'] += 1
        print('== %s: %d instances' % (target, count))
        for chain, n in chains.most_common(top):
            print('%8d  %s' % (n, chain))


if __name__ == '__main__':
    main()
