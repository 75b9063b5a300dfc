#!/usr/bin/env python3
"""Regenerates the kUpperRanges / kLowerRanges tables of unicode.cpp.

Simple (one code point to one code point) case mappings are taken from the
C library's towupper/towlower in the C.UTF-8 locale, which glibc generates
from UnicodeData.txt's simple mapping fields, the same source as Go's
unicode.ToUpper/ToLower. Prints the C++ table text to stdout.
"""
import ctypes
import locale

locale.setlocale(locale.LC_ALL, "C.UTF-8")
libc = ctypes.CDLL("libc.so.6")
for f in (libc.towupper, libc.towlower):
    f.restype = ctypes.c_uint32
    f.argtypes = [ctypes.c_uint32]


def ranges(fn):
    out = []
    for cp in range(0x80, 0x110000):
        if 0xD800 <= cp < 0xE000 or fn(cp) == cp:
            continue
        d = fn(cp) - cp
        if out:
            lo, hi, st, dd = out[-1]
            if dd == d and ((st == 0 and cp - hi in (1, 2)) or (st and cp - hi == st)):
                out[-1] = (lo, cp, st or cp - hi, dd)
                continue
        out.append((cp, cp, 0, d))
    return [(lo, hi, st or 1, d) for lo, hi, st, d in out]


def emit(name, rs):
    s = "const CaseRange %s[] = {\n" % name
    for lo, hi, st, d in rs:
        s += "    {0x%04X, 0x%04X, %d, %d},\n" % (lo, hi, st, d)
    return s + "};\n"


print(emit("kUpperRanges", ranges(libc.towupper)))
print(emit("kLowerRanges", ranges(libc.towlower)))
