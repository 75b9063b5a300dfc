// Go encoding/csv, as the `parse` and `format` nodes use it (nodes.md
// `parse`, `format`): a Reader with TrimLeadingSpace and the default
// FieldsPerRecord check, and a Writer with Go's quoting rules.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/common/no_postgres.hpp"

namespace thaiyyal::go {

using CsvRecord = std::vector<std::string>;

struct CsvReadOptions {
  char32_t comma = U',';
  // Reader.TrimLeadingSpace: skip leading Unicode white space of each field.
  bool trim_leading_space = false;
};

struct CsvReadResult {
  std::vector<CsvRecord> records;
  // Empty on success, otherwise Go's error text, e.g.
  // "record on line 2: wrong number of fields" or
  // "parse error on line 1, column 4: bare \" in non-quoted-field".
  std::string error;
  bool ok() const { return error.empty(); }
};

// Reader.ReadAll with FieldsPerRecord = 0 (every record must have as many
// fields as the first). Empty lines are skipped, "\r\n" is read as "\n", a
// trailing "\r" before EOF is dropped. On error no records are returned.
// Polls the thread's interrupt source (common/interrupts.hpp) and checks
// what the records hold against the run's memory budget as it reads (many
// empty fields take 32 bytes each from one byte of input).
CsvReadResult csv_read_all(std::string_view input, const CsvReadOptions& options);

// Go's validDelim: not NUL, '"', '\r', '\n', a valid rune and not U+FFFD.
bool csv_valid_delimiter(char32_t comma);

// Writer.Write of one record followed by "\n" (UseCRLF false). Precondition:
// csv_valid_delimiter(comma) (Write fails with
// "csv: invalid field or comment delimiter" otherwise).
void csv_append_record(std::string& out, const CsvRecord& fields, char32_t comma);

inline constexpr std::string_view kCsvInvalidDelimiter = "csv: invalid field or comment delimiter";

}  // namespace thaiyyal::go
