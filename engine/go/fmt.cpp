// Go's fmt `%v` (values.md §4): maps as map[k:v ...] in key order, slices
// as [a b], nil as <nil>, floats as strconv 'g', times as Time.String().
#include "engine/go/fmt.hpp"

#include <stdexcept>

#include "engine/common/interrupts.hpp"
#include "engine/common/run_memory.hpp"
#include "engine/common/stack_depth.hpp"
#include "engine/go/strconv.hpp"
#include "engine/go/time.hpp"

namespace thaiyyal {

// ---------------------------------------------------------------------------
// %v

namespace {
// %v recurses; values nested deeper than this are refused rather than
// overflowing the stack (see json_write.cpp).
constexpr std::size_t kMaxGoVDepth = 10000;

void append_go_v_at(std::string& out, const Value& v, std::size_t depth);
}  // namespace

void append_go_v(std::string& out, const Value& v) {
  append_go_v_at(out, v, 0);
}

namespace {
// Containers: the stack is checked on entry; per element, interrupts are
// polled and the text built so far is checked against the run's memory
// budget (a value that shares one container many times expands without
// bound).
void append_go_v_at(std::string& out, const Value& v, std::size_t depth) {
  if (v.is_array() || v.is_record_list() || v.is_object()) {
    if (depth >= kMaxGoVDepth) {
      throw std::length_error("value nested too deeply (more than 10000 levels)");
    }
    check_stack_depth();
  }
  auto element = [&out] {
    poll_interrupts();
    run_memory::ensure_available(out.size());
  };
  switch (v.kind()) {
    case Kind::Null:
      out.append("<nil>", 5);
      return;
    case Kind::Bool:
      if (v.as_bool()) {
        out.append("true", 4);
      } else {
        out.append("false", 5);
      }
      return;
    case Kind::Number:
      append_go_float(out, v.as_number());
      return;
    case Kind::Int:
      append_go_int(out, v.as_int());
      return;
    case Kind::String:
    case Kind::JsonNumber:
      out.append(v.as_string());
      return;
    case Kind::Array:
    case Kind::RecordList: {
      out.push_back('[');
      bool first = true;
      for (const Value& item : v.as_array()) {
        element();
        if (!first) out.push_back(' ');
        first = false;
        append_go_v_at(out, item, depth + 1);
      }
      out.push_back(']');
      return;
    }
    case Kind::Object: {
      out.append("map[", 4);
      bool first = true;
      for (const auto& [key, item] : v.as_object()) {
        element();
        if (!first) out.push_back(' ');
        first = false;
        out.append(key);
        out.push_back(':');
        append_go_v_at(out, item, depth + 1);
      }
      out.push_back(']');
      return;
    }
    case Kind::Time:
      out.append(format_go_time_string(v.as_time_nanos()));
      return;
  }
}
}  // namespace

std::string go_v(const Value& v) {
  std::string out;
  append_go_v(out, v);
  return out;
}

}  // namespace thaiyyal
