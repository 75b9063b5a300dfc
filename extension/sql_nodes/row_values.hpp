// The rows of a sql_query result as engine Values, read straight from the
// SPI tuple table (no row_to_json text, no JSON parse of it).
//
// The Values are exactly those of the JSON path the node used before (and
// still uses for what this reader does not cover): parse_json
// (out_of_range_as_string) of row_to_json of the row, converted to UTF-8.
// That path is PostgreSQL's own JSON mapping (json.c: datum_to_json,
// composite_to_json), which this reader follows column by column:
//
//   NULL                        null
//   bool                        true / false
//   int2, int4, int8            a number, integral (the exact integer,
//                               rounded to a double as the parser rounds)
//   float4, float8, numeric     the type's output text: a valid JSON number
//                               is parsed by the engine's JSON parser (same
//                               double, same integral flag, beyond the double
//                               range a string of the digits); NaN and
//                               ±Infinity are strings
//   text, varchar, bpchar, name the output text (bpchar keeps its padding)
//                               as a string
//   json, jsonb                 the output text parsed by the engine's JSON
//                               parser (the depth limit counts the objects
//                               around it, as inside the row's text)
//   composite types             an object of the attributes (dropped ones
//                               left out), recursively
//   domains                     as their base type
//
// Objects take keys in column order with the parser's rule for duplicate
// names (the last one wins). A string that is not plain printable ASCII
// goes through escape_json and the parser, as in the row's text, so invalid
// or unusual bytes come out the same (and are charged to the run's memory
// the same).
//
// What falls back to the JSON path: a whole result whose columns include
// any other type (arrays, timestamps, anonymous records, user types with a
// cast to json, ...) or a column name that is not plain ASCII, every result
// in a database whose encoding is not UTF-8, and a single row whose json
// column the parser rejects (so that its error is the JSON path's own).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/thaiyyal.hpp"

#include "extension/boundary/pg_guard.hpp"

namespace thaiyyal::pg {

class RowReader {
 public:
  // Plans the conversion of rows of `desc` (catalog lookups; throws
  // PgError). Allocates in the current memory context (the statement's).
  explicit RowReader(TupleDesc desc);
  RowReader(const RowReader&) = delete;
  RowReader& operator=(const RowReader&) = delete;

  // Whether every column is one this reader converts.
  bool usable() const { return usable_; }

  // The row's Value in `out`; false when this row must take the JSON path.
  // Throws PgError (detoasting, output functions, query cancel).
  bool read(HeapTuple tuple, Value& out);

  // One attribute (or the row itself, node 0) and what its rows hold. Plain
  // data: the PostgreSQL side reads it inside pg_call.
  struct Node {
    std::uint8_t kind = 0;
    int attno = 0;  // index in the parent's deformed values
    FmgrInfo output{};
    TupleDesc desc = nullptr;  // composite: its attributes
    Datum* values = nullptr;   // composite: deformed attributes
    bool* nulls = nullptr;
    int first_child = 0;  // composite: children[first_child ...]
    int child_count = 0;
  };
  // What one row holds for a node, filled by the PostgreSQL side.
  struct Cell {
    std::uint8_t tag = 0;
    std::int64_t integer = 0;
    const char* data = nullptr;
    std::size_t length = 0;
  };

 private:
  struct Member {
    std::string key;
    std::vector<int> sorted;  // composite: children in key order, last duplicate only
    std::vector<int> losers;  // composite: the other duplicates
  };

  int plan_composite(TupleDesc desc, int attno, std::size_t nesting);
  Value build(int node, std::size_t depth);

  bool usable_ = true;
  std::vector<Node> nodes_;
  std::vector<Member> members_;
  std::vector<int> children_;
  std::vector<Cell> cells_;
  MemoryContext row_context_ = nullptr;
};

}  // namespace thaiyyal::pg
