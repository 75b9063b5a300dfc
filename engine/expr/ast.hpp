// The compiled form of an expression (language.md §1): a flat vector of
// nodes that refer to each other by index. Names that can be decided
// statically (namespace roots, functions, methods, arity) are resolved by
// the parser; the evaluator only dispatches on enums.
//
// Left-associative chains (`a + b - c`, `a && b && c`, `a.b[0].c()`) are
// stored as one n-ary node each, so that the tree depth — and with it the
// evaluator's recursion depth — is bounded by the syntactic nesting limit,
// not by the length of a chain.
#pragma once

#include <cstdint>
#include <memory_resource>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/no_postgres.hpp"
#include "engine/expr/builtins.hpp"
#include "engine/value/value.hpp"

namespace thaiyyal::expr {

using NodeIndex = std::int32_t;
constexpr NodeIndex kNoNode = -1;

enum class NodeKind : std::uint8_t {
  Literal,          // constants[aux]
  Current,          // `input` / `item`
  IndexName,        // `index`: the binding, else falls through to Name
  ItemsName,        // `items`: likewise
  AccumulatorName,  // `accumulator`: likewise
  Name,             // bare identifier strings[aux]: field of current, else variable
  Variable,         // `variables.NAME` (strings[aux])
  VariableDyn,      // `variables[a]`
  Context,          // `context.s1.s2…` flat-key chain: strings[aux] joined, list = prefix ends
  ContextDyn,       // `context[a]`
  NodeRef,          // `node.ID` (strings[aux])
  NodeRefDyn,       // `node[a]`
  Path,             // a = base, list = step nodes
  MemberStep,       // `.name` (strings[aux]); only inside a Path
  IndexStep,        // `[a]`; only inside a Path
  MethodStep,       // `.name(list)`; op = Method; only inside a Path
  Call,             // function op = Function, list = arguments
  ArrayLit,         // list = elements
  ObjectLit,        // list = values in source order; keys: object_keys[aux]
  Negate,           // -a
  Plus,             // +a
  Not,              // !a
  Arith,            // list of (operand, op): op of element 0 unused; left to right
  Compare,          // a op b; op = CompareOp
  Shorthand,        // (current, unwrapped `value`) op a; op = CompareOp
  And,              // list of operands
  Or,               // list of operands
  Ternary,          // a ? b : c
};

enum class ArithOp : std::uint8_t { Add, Sub, Mul, Div, Mod };
enum class CompareOp : std::uint8_t { Eq, Ne, Lt, Le, Gt, Ge };

struct Node {
  NodeKind kind = NodeKind::Literal;
  std::uint8_t op = 0;    // ArithOp / CompareOp / Function / Method
  std::uint32_t aux = 0;  // constants / strings / object_keys index
  NodeIndex a = kNoNode;
  NodeIndex b = kNoNode;
  NodeIndex c = kNoNode;
  std::uint32_t list_begin = 0;  // into Ast::list
  std::uint32_t list_size = 0;
};

struct ListItem {
  NodeIndex node = kNoNode;  // child node (or, for Context, a prefix end)
  std::uint8_t op = 0;       // ArithOp for Arith chains
};

// An object literal's shape, prepared at compile time: keys sorted bytewise
// with duplicates resolved (last one wins); `source_slot[i]` is the position
// in the node's value list whose value goes under `keys[i]`.
struct ObjectShape {
  std::vector<std::string> keys;
  std::vector<std::uint32_t> source_slot;
};

// Its vectors take a memory resource: the parser builds into the thread's
// kept Ast (heap), a CompiledExpression keeps an exact copy in one block of
// its own (expression.cpp).
struct Ast {
  explicit Ast(std::pmr::memory_resource* resource = std::pmr::get_default_resource())
      : nodes(resource),
        list(resource),
        constants(resource),
        strings(resource),
        object_keys(resource) {}

  std::pmr::vector<Node> nodes;
  std::pmr::vector<ListItem> list;
  std::pmr::vector<Value> constants;
  std::pmr::vector<std::pmr::string> strings;
  std::pmr::vector<ObjectShape> object_keys;
  NodeIndex root = kNoNode;

  void clear() {
    nodes.clear();
    list.clear();
    constants.clear();
    strings.clear();
    object_keys.clear();
    root = kNoNode;
  }

  const ListItem* items(const Node& n) const { return list.data() + n.list_begin; }
};

}  // namespace thaiyyal::expr
