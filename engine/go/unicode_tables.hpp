// The Unicode data of Go's `unicode` package and golang.org/x/text/cases,
// generated into unicode_tables.cpp by gen_unicode_tables.py. Only
// go/unicode.cpp reads these; everything else asks go/unicode.hpp.
#pragma once

#include <cstddef>
#include <cstdint>

#include "engine/common/no_postgres.hpp"

namespace thaiyyal::go::unicode::tables {

// Code points lo, lo+stride, …, hi map to cp + delta.
struct DeltaRange {
  char32_t lo;
  char32_t hi;
  std::int32_t stride;
  std::int32_t delta;
};
// Code points lo..hi (inclusive) have a property.
struct CodeRange {
  char32_t lo;
  char32_t hi;
};
// A code point whose mapping is several code points (UTF-8).
struct SpecialMapping {
  char32_t cp;
  const char* utf8;
};

template <class T>
struct Table {
  const T* data;
  std::size_t size;
  const T* begin() const { return data; }
  const T* end() const { return data + size; }
};

// Simple mappings above ASCII (UnicodeData.txt): unicode.ToUpper/ToLower/ToTitle.
extern const Table<DeltaRange> upper;
extern const Table<DeltaRange> lower;
extern const Table<DeltaRange> title;
// The smallest code point of each unicode.SimpleFold orbit (CaseFolding.txt
// C + S), for code points above ASCII that are not that smallest one.
extern const Table<DeltaRange> fold_min;
// DerivedCoreProperties.txt / PropList.txt / general categories.
extern const Table<CodeRange> cased;
extern const Table<CodeRange> case_ignorable;
extern const Table<CodeRange> white_space;
extern const Table<CodeRange> letter;      // L*
extern const Table<CodeRange> digit;       // Nd
extern const Table<CodeRange> upper_case;  // Lu
extern const Table<CodeRange> lower_case;  // Ll
extern const Table<CodeRange> print;       // L*, M*, N*, P*, S*
// Word-break categories as x/text/cases groups them: "letter" (ALetter,
// Hebrew_Letter, Numeric, Extend, ExtendNumLet, Format, ZWJ) and "mid"
// (MidLetter, MidNumLet, Single_Quote); everything else breaks a word.
extern const Table<CodeRange> word_letter;
extern const Table<CodeRange> word_mid;
// Unconditional full title mappings (SpecialCasing.txt) that are not the
// simple one: ß → "Ss", ﬁ → "Fi", ŉ → "ʼN", …
extern const Table<SpecialMapping> special_title;

}  // namespace thaiyyal::go::unicode::tables
