// RowReader: SPI rows -> Values the way row_to_json + parse_json make them
// (see row_values.hpp).
//
// Two halves: the PostgreSQL side (plain C inside one pg_call per row)
// deforms the row and its composite attributes and leaves, per attribute, a
// Cell with what the Value is made of (an integer, or a pointer to bytes:
// the text's own data, an output function's text, escape_json's literal);
// the C++ side then builds the Values from the Cells. Anything the row's
// text would have held as JSON syntax (numbers, json/jsonb, strings that
// need escaping) still goes through the engine's JSON parser, value by
// value, so that the result cannot differ from the text path's.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/go/json.hpp"
#include "engine/thaiyyal.hpp"

#include "extension/sql_nodes/row_values.hpp"

namespace thaiyyal::pg {

namespace {

// What a node holds (Node::kind).
enum : std::uint8_t {
  kUnsupported = 0,
  kBool,
  kInt2,
  kInt4,
  kInt8,
  kNumberText,  // float4, float8, numeric: the output function's text
  kText,        // text, varchar, bpchar: the varlena's bytes
  kName,
  kJson,   // json: the varlena's bytes are the JSON text
  kJsonb,  // jsonb: the output function's text
  kComposite,
};

// What a row's Cell holds (Cell::tag).
enum : std::uint8_t {
  kNull = 0,
  kBoolean,
  kInteger,
  kNumberLiteral,  // a valid JSON number: parse it
  kPlainString,    // printable ASCII without '"' or '\\': the bytes as they are
  kStringLiteral,  // escape_json's literal of the string: parse it
  kJsonText,       // json/jsonb text: parse it (depth limited)
  kObject,
};

// Composite types nested deeper than this make the result take the JSON
// path (none does in practice; it bounds the recursion below).
constexpr std::size_t kMaxNesting = 32;

struct TypeClass {
  std::uint8_t kind;
  Oid base;
  Oid output;
};

// json.c's json_categorize_type for the types read directly (a domain as
// its base type). Plain C, inside pg_call.
TypeClass classify(Oid type) noexcept {
  TypeClass c{kUnsupported, getBaseType(type), InvalidOid};
  bool varlena = false;
  switch (c.base) {
    case BOOLOID:
      c.kind = kBool;
      break;
    case INT2OID:
      c.kind = kInt2;
      break;
    case INT4OID:
      c.kind = kInt4;
      break;
    case INT8OID:
      c.kind = kInt8;
      break;
    case FLOAT4OID:
    case FLOAT8OID:
    case NUMERICOID:
      c.kind = kNumberText;
      getTypeOutputInfo(c.base, &c.output, &varlena);
      break;
    case TEXTOID:
    case VARCHAROID:
    case BPCHAROID:
      c.kind = kText;
      break;
    case NAMEOID:
      c.kind = kName;
      break;
    case JSONOID:
      c.kind = kJson;
      break;
    case JSONBOID:
      c.kind = kJsonb;
      getTypeOutputInfo(c.base, &c.output, &varlena);
      break;
    default:
      // Anonymous records (a different row type per value) are left to
      // row_to_json.
      if (c.base != RECORDOID && type_is_rowtype(c.base)) c.kind = kComposite;
      break;
  }
  return c;
}

// Printable ASCII without '"' and '\\': the parser copies such a string
// literal as it is (its fast path), and escape_json changes none of it.
bool plain_ascii(const char* data, std::size_t length) noexcept {
  for (std::size_t i = 0; i < length; ++i) {
    const unsigned char c = static_cast<unsigned char>(data[i]);
    if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') return false;
  }
  return true;
}

// A string value: as it is when plain, else escape_json's literal (the
// row's text holds exactly that literal). Plain C.
void set_string(RowReader::Cell& cell, const char* data, std::size_t length) noexcept {
  if (plain_ascii(data, length)) {
    cell.tag = kPlainString;
    cell.data = data;
    cell.length = length;
    return;
  }
  StringInfoData literal;
  initStringInfo(&literal);
  escape_json(&literal, pnstrdup(data, length));
  cell.tag = kStringLiteral;
  cell.data = literal.data;
  cell.length = static_cast<std::size_t>(literal.len);
}

// Fills the cells of a composite node's children from its deformed values
// (datum_to_json of each attribute, without the text). Plain C, recursive
// at most kMaxNesting deep.
void fill_children(const RowReader::Node* nodes, const int* children, RowReader::Cell* cells,
                   int node) noexcept {
  const RowReader::Node& n = nodes[node];
  for (int k = 0; k < n.child_count; ++k) {
    const int c = children[n.first_child + k];
    const RowReader::Node& child = nodes[c];
    RowReader::Cell& cell = cells[c];
    if (n.nulls[child.attno]) {
      cell.tag = kNull;
      continue;
    }
    const Datum value = n.values[child.attno];
    switch (child.kind) {
      case kBool:
        cell.tag = kBoolean;
        cell.integer = DatumGetBool(value) ? 1 : 0;
        break;
      case kInt2:
        cell.tag = kInteger;
        cell.integer = DatumGetInt16(value);
        break;
      case kInt4:
        cell.tag = kInteger;
        cell.integer = DatumGetInt32(value);
        break;
      case kInt8:
        cell.tag = kInteger;
        cell.integer = DatumGetInt64(value);
        break;
      case kNumberText: {
        // NaN and ±Infinity are no JSON numbers: datum_to_json writes them
        // as strings.
        char* text = OutputFunctionCall(const_cast<FmgrInfo*>(&child.output), value);
        const std::size_t length = std::strlen(text);
        if (IsValidJsonNumber(text, static_cast<int>(length))) {
          cell.tag = kNumberLiteral;
          cell.data = text;
          cell.length = length;
        } else {
          set_string(cell, text, length);
        }
        break;
      }
      case kText:
      case kJson: {
        const varlena* text = pg_detoast_datum_packed(reinterpret_cast<varlena*>(value));
        const char* data = VARDATA_ANY(text);
        const std::size_t length = VARSIZE_ANY_EXHDR(text);
        if (child.kind == kJson) {
          cell.tag = kJsonText;
          cell.data = data;
          cell.length = length;
        } else {
          set_string(cell, data, length);
        }
        break;
      }
      case kName: {
        const char* name = NameStr(*DatumGetName(value));
        set_string(cell, name, std::strlen(name));
        break;
      }
      case kJsonb: {
        char* text = OutputFunctionCall(const_cast<FmgrInfo*>(&child.output), value);
        cell.tag = kJsonText;
        cell.data = text;
        cell.length = std::strlen(text);
        break;
      }
      case kComposite: {
        HeapTupleHeader header = DatumGetHeapTupleHeader(value);
        HeapTupleData tuple;
        tuple.t_len = HeapTupleHeaderGetDatumLength(header);
        ItemPointerSetInvalid(&tuple.t_self);
        tuple.t_tableOid = InvalidOid;
        tuple.t_data = header;
        heap_deform_tuple(&tuple, child.desc, child.values, child.nulls);
        cell.tag = kObject;
        fill_children(nodes, children, cells, c);
        break;
      }
      default:
        cell.tag = kNull;  // never planned
        break;
    }
  }
}

}  // namespace

RowReader::RowReader(TupleDesc desc) {
  usable_ = pg_call([]() noexcept { return GetDatabaseEncoding() == PG_UTF8; });
  if (!usable_) return;
  row_context_ = pg_call([]() noexcept {
    return AllocSetContextCreateInternal(CurrentMemoryContext, "thaiyyal sql row",
                                         ALLOCSET_DEFAULT_SIZES);
  });
  plan_composite(desc, 0, 0);
  cells_.resize(nodes_.size());
}

// Adds the node of a composite (its attributes' nodes after it) and returns
// its index; clears usable_ when an attribute is outside the direct set.
int RowReader::plan_composite(TupleDesc desc, int attno, std::size_t nesting) {
  const int index = static_cast<int>(nodes_.size());
  nodes_.emplace_back();
  members_.emplace_back();
  const int natts = desc->natts;
  Datum* values = nullptr;
  bool* nulls = nullptr;
  pg_call([natts, &values, &nulls]() noexcept {
    values = static_cast<Datum*>(palloc0(sizeof(Datum) * (natts > 0 ? natts : 1)));
    nulls = static_cast<bool*>(palloc0(sizeof(bool) * (natts > 0 ? natts : 1)));
  });
  nodes_[index].kind = kComposite;
  nodes_[index].attno = attno;
  nodes_[index].desc = desc;
  nodes_[index].values = values;
  nodes_[index].nulls = nulls;

  std::vector<int> own;
  for (int i = 0; i < natts && usable_; ++i) {
    const Form_pg_attribute attr = TupleDescAttr(desc, i);
    if (attr->attisdropped) continue;  // composite_to_json skips them too
    const char* name = NameStr(attr->attname);
    if (!plain_ascii(name, std::strlen(name))) {
      usable_ = false;
      break;
    }
    const Oid type = attr->atttypid;
    const TypeClass type_class = pg_call([type]() noexcept { return classify(type); });
    if (type_class.kind == kUnsupported) {
      usable_ = false;
      break;
    }
    int child = 0;
    if (type_class.kind == kComposite) {
      if (nesting + 1 > kMaxNesting) {
        usable_ = false;
        break;
      }
      const Oid base = type_class.base;
      TupleDesc child_desc =
          pg_call([base]() noexcept { return lookup_rowtype_tupdesc_copy(base, -1); });
      child = plan_composite(child_desc, i, nesting + 1);
    } else {
      child = static_cast<int>(nodes_.size());
      nodes_.emplace_back();
      members_.emplace_back();
      Node& node = nodes_[child];
      node.kind = type_class.kind;
      node.attno = i;
      if (OidIsValid(type_class.output)) {
        const Oid output = type_class.output;
        FmgrInfo* info = &node.output;
        pg_call([output, info]() noexcept { fmgr_info(output, info); });
      }
    }
    members_[child].key = name;
    own.push_back(child);
  }
  if (!usable_) return index;

  // Key order as Object keeps it; of equal names the last column wins (the
  // parser's rule for duplicate keys).
  std::vector<int> sorted = own;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [this](int a, int b) { return key_less(members_[a].key, members_[b].key); });
  std::vector<int>& winners = members_[index].sorted;
  std::vector<int>& losers = members_[index].losers;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    if (i + 1 < sorted.size() && key_equal(members_[sorted[i]].key, members_[sorted[i + 1]].key)) {
      losers.push_back(sorted[i]);
    } else {
      winners.push_back(sorted[i]);
    }
  }
  nodes_[index].first_child = static_cast<int>(children_.size());
  nodes_[index].child_count = static_cast<int>(own.size());
  children_.insert(children_.end(), own.begin(), own.end());
  return index;
}

bool RowReader::read(HeapTuple tuple, Value& out) {
  const Node* nodes = nodes_.data();
  const int* children = children_.data();
  Cell* cells = cells_.data();
  MemoryContext context = row_context_;
  pg_call([tuple, nodes, children, cells, context]() noexcept {
    CHECK_FOR_INTERRUPTS();
    // The previous row's texts are no longer needed: its Values are built.
    MemoryContextReset(context);
    const MemoryContext caller = MemoryContextSwitchTo(context);
    heap_deform_tuple(tuple, nodes[0].desc, nodes[0].values, nodes[0].nulls);
    fill_children(nodes, children, cells, 0);
    MemoryContextSwitchTo(caller);
  });
  try {
    out = build(0, 1);
  } catch (const JsonParseError&) {
    return false;  // the JSON path reports it, with its own message
  }
  return true;
}

// The object of composite node `node` at container depth `depth` (the row
// is 1), as the parser builds it from the composite's text.
Value RowReader::build(int node, std::size_t depth) {
  const Node& n = nodes_[node];
  if (n.child_count == 0) return Value::empty_object();
  const Member& member = members_[node];
  JsonParseOptions options;
  options.out_of_range_as_string = true;
  const std::size_t max_depth = options.max_depth;
  auto value_of = [&](int c) -> Value {
    const Cell& cell = cells_[c];
    const std::string_view text(cell.data, cell.length);
    switch (cell.tag) {
      case kBoolean:
        return Value::boolean(cell.integer != 0);
      case kInteger:
        // The parser's value of the integer's literal: exact up to 2^53,
        // correctly rounded beyond (as from_chars rounds the digits).
        return Value::number(static_cast<double>(cell.integer), true);
      case kNumberLiteral:
      case kStringLiteral:
        return parse_json(text, options);
      case kPlainString:
        return Value::string(text);
      case kJsonText: {
        // Inside the row's text the value's containers sit `depth` deeper.
        JsonParseOptions nested = options;
        nested.max_depth = max_depth - depth;
        return parse_json(text, nested);
      }
      case kObject:
        return build(c, depth + 1);
      default:
        return Value::null();
    }
  };
  std::vector<Object::Entry> entries;
  entries.reserve(static_cast<std::size_t>(n.child_count));  // as the parser reserves
  for (int c : member.sorted) entries.emplace_back(members_[c].key, value_of(c));
  // A duplicate that loses is still parsed in the row's text (its errors).
  for (int c : member.losers) (void)value_of(c);
  return Value::object(Object::from_sorted_unique(std::move(entries)));
}

}  // namespace thaiyyal::pg
