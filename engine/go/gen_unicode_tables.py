#!/usr/bin/env python3
"""Generates unicode_tables.cpp (next to this file) from the Unicode
Character Database, the data Go's `unicode` package and
golang.org/x/text/cases are generated from.

    apt-get install unicode-data        # Debian 12: Unicode 15.0.0, as Go 1.21+
    python3 engine/go/gen_unicode_tables.py > engine/go/unicode_tables.cpp

The output is committed; building the engine never needs the UCD.
"""
import collections
import os
import sys

UCD = os.environ.get("UCD_DIR", "/usr/share/unicode")
MAX = 0x110000


def lines(name):
    with open(os.path.join(UCD, name), encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                yield [field.strip() for field in line.split(";")]


def code_range(text):
    if ".." in text:
        lo, hi = text.split("..")
        return int(lo, 16), int(hi, 16)
    return int(text, 16), int(text, 16)


def unicode_data():
    """(category, upper, lower, title) per code point; ranges expanded."""
    info = {}
    first = None
    for f in lines("UnicodeData.txt"):
        cp = int(f[0], 16)
        if f[1].endswith(", First>"):
            first = cp
            continue
        up = int(f[12], 16) if f[12] else None
        low = int(f[13], 16) if f[13] else None
        # An empty title field means "same as the upper-case mapping".
        tit = int(f[14], 16) if f[14] else up
        for c in range(first if f[1].endswith(", Last>") else cp, cp + 1):
            info[c] = (f[2], up if up is not None else c, low if low is not None else c,
                       tit if tit is not None else c)
    return info


def property_set(name, prop):
    out = set()
    for f in lines(name):
        if f[1] == prop:
            lo, hi = code_range(f[0])
            out.update(range(lo, hi + 1))
    return out


def ranges_of(cps):
    out = []
    for cp in sorted(cps):
        if out and out[-1][1] == cp - 1:
            out[-1][1] = cp
        else:
            out.append([cp, cp])
    return out


def delta_ranges(mapping):
    """{cp: mapped} for cp >= 0x80 -> [(lo, hi, stride, delta)]."""
    out = []
    for cp in sorted(mapping):
        d = mapping[cp] - cp
        if out:
            lo, hi, st, dd = out[-1]
            if dd == d and ((st == 0 and cp - hi in (1, 2)) or (st and cp - hi == st)):
                out[-1] = (lo, cp, st or cp - hi, dd)
                continue
        out.append((cp, cp, 0, d))
    return [(lo, hi, st or 1, d) for lo, hi, st, d in out]


def emit_ranges(name, rs, out):
    out.append("const CodeRange %s[] = {" % name)
    for lo, hi in rs:
        out.append("    {0x%04X, 0x%04X}," % (lo, hi))
    out.append("};")


def emit_delta(name, rs, out):
    out.append("const DeltaRange %s[] = {" % name)
    for lo, hi, st, d in rs:
        out.append("    {0x%04X, 0x%04X, %d, %d}," % (lo, hi, st, d))
    out.append("};")


def utf8_literal(cps):
    return '"' + "".join("\\x%02x" % b for b in "".join(map(chr, cps)).encode("utf-8")) + '"'


def main():
    info = unicode_data()
    cat = lambda cp: info[cp][0] if cp in info else "Cn"
    upper = {cp: r[1] for cp, r in info.items() if r[1] != cp and cp >= 0x80}
    lower = {cp: r[2] for cp, r in info.items() if r[2] != cp and cp >= 0x80}
    title = {cp: r[3] for cp, r in info.items() if r[3] != cp and cp >= 0x80}

    # Go's unicode.SimpleFold orbits are the classes of equal simple case
    # folding (CaseFolding.txt statuses C and S); encoding/json folds a key
    # rune to the smallest rune of its orbit.
    scf = {}
    for f in lines("CaseFolding.txt"):
        if f[1] in ("C", "S"):
            scf[int(f[0], 16)] = int(f[2], 16)
    classes = collections.defaultdict(list)
    for cp, folded in scf.items():
        classes[folded].append(cp)
    fold_min = {}
    for folded, members in classes.items():
        orbit = set(members) | {folded}
        smallest = min(orbit)
        for cp in orbit:
            if cp != smallest and cp >= 0x80:
                fold_min[cp] = smallest

    # Full title mappings that are not one simple mapping (SpecialCasing.txt,
    # unconditional entries): what x/text/cases writes for a word's first
    # cased letter.
    special_title = {}
    for f in lines("SpecialCasing.txt"):
        if len(f) > 4 and f[4]:
            continue  # conditional (language or context)
        cp = int(f[0], 16)
        mapped = [int(x, 16) for x in f[2].split()]
        if mapped != [info[cp][3]]:
            special_title[cp] = mapped

    cased = property_set("DerivedCoreProperties.txt", "Cased")
    ignorable = property_set("DerivedCoreProperties.txt", "Case_Ignorable")
    white = property_set("PropList.txt", "White_Space")

    word_letter, word_mid = set(), set()
    for f in lines("auxiliary/WordBreakProperty.txt"):
        lo, hi = code_range(f[0])
        if f[1] in ("MidLetter", "MidNumLet", "Single_Quote"):
            word_mid.update(range(lo, hi + 1))
        elif f[1] in ("ALetter", "Hebrew_Letter", "Numeric", "Extend", "ExtendNumLet", "Format",
                      "ZWJ"):
            word_letter.update(range(lo, hi + 1))

    letters = {cp for cp in info if cat(cp).startswith("L")}
    digits = {cp for cp in info if cat(cp) == "Nd"}
    uppers = {cp for cp in info if cat(cp) == "Lu"}
    lowers = {cp for cp in info if cat(cp) == "Ll"}
    # unicode.IsPrint: letters, marks, numbers, punctuation and symbols (the
    # ASCII space is added by the caller).
    printable = {cp for cp in info if cat(cp)[0] in "LMNPS"}

    out = [
        "// GENERATED by gen_unicode_tables.py from the Unicode Character Database",
        "// 15.0.0 (Debian unicode-data), the version of Go 1.21+'s `unicode`. Do not",
        "// edit; regenerate.",
        "// clang-format off",
        '#include "engine/go/unicode_tables.hpp"',
        "",
        "#include <iterator>",
        "",
        "namespace thaiyyal::go::unicode::tables {",
        "namespace {",
        "",
    ]
    exported = []
    for name, mapping in (("upper", upper), ("lower", lower), ("title", title),
                          ("fold_min", fold_min)):
        emit_delta("k_" + name, delta_ranges(mapping), out)
        exported.append(("DeltaRange", name))
    for name, cps in (("cased", cased), ("case_ignorable", ignorable), ("white_space", white),
                      ("letter", letters), ("digit", digits), ("upper_case", uppers),
                      ("lower_case", lowers), ("print", printable), ("word_letter", word_letter),
                      ("word_mid", word_mid)):
        emit_ranges("k_" + name, ranges_of(cps), out)
        exported.append(("CodeRange", name))
    out.append("const SpecialMapping k_special_title[] = {")
    for cp in sorted(special_title):
        out.append("    {0x%04X, %s}," % (cp, utf8_literal(special_title[cp])))
    out.append("};")
    exported.append(("SpecialMapping", "special_title"))
    out.append("")
    out.append("}  // namespace")
    out.append("")
    for kind, name in exported:
        out.append("const Table<%s> %s{k_%s, std::size(k_%s)};" % (kind, name, name, name))
    out.append("")
    out.append("}  // namespace thaiyyal::go::unicode::tables")
    print("\n".join(out))


if __name__ == "__main__":
    sys.exit(main())
