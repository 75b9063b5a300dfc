// Parser for language.md §3. The binary levels (`||` … `*`) are parsed by
// precedence climbing in one function, and every construct that needs
// sizeable locals lives in its own non-inlined function: recursion through
// parentheses then costs only a few small frames per nesting level, so the
// 128-level nesting cap keeps the parser's stack use small.
#include "engine/expr/parser.hpp"

#include <algorithm>
#include <cstddef>
#include <memory_resource>
#include <numeric>
#include <utility>
#include <vector>

#include "engine/common/stack_depth.hpp"
#include "engine/expr/lexer.hpp"
#include "engine/go/strconv.hpp"
#include "engine/go/unicode.hpp"

namespace thaiyyal::expr {

namespace {

// A compile error that is not a syntax error (limits, unknown names,
// arity); the message is reported as is.
struct CompileFailure {
  std::string message;
};

// Binary operator levels, loosest first (language.md §3).
constexpr int kOr = 1;
constexpr int kAnd = 2;
constexpr int kEquality = 3;
constexpr int kRelational = 4;
constexpr int kAdditive = 5;
constexpr int kMultiplicative = 6;
constexpr int kNoOperator = 7;

int level_of(Tok k) {
  switch (k) {
    case Tok::OrOr:
      return kOr;
    case Tok::AndAnd:
      return kAnd;
    case Tok::EqEq:
    case Tok::NotEq:
      return kEquality;
    case Tok::Lt:
    case Tok::Le:
    case Tok::Gt:
    case Tok::Ge:
      return kRelational;
    case Tok::Plus:
    case Tok::Minus:
      return kAdditive;
    case Tok::Star:
    case Tok::Slash:
    case Tok::Percent:
      return kMultiplicative;
    default:
      return 0;
  }
}

bool is_compare(Tok k) {
  const int level = level_of(k);
  return level == kEquality || level == kRelational;
}

CompareOp compare_op(Tok k) {
  switch (k) {
    case Tok::EqEq:
      return CompareOp::Eq;
    case Tok::NotEq:
      return CompareOp::Ne;
    case Tok::Lt:
      return CompareOp::Lt;
    case Tok::Le:
      return CompareOp::Le;
    case Tok::Gt:
      return CompareOp::Gt;
    default:
      return CompareOp::Ge;
  }
}

ArithOp arith_op(Tok k) {
  switch (k) {
    case Tok::Plus:
      return ArithOp::Add;
    case Tok::Minus:
      return ArithOp::Sub;
    case Tok::Star:
      return ArithOp::Mul;
    case Tok::Slash:
      return ArithOp::Div;
    default:
      return ArithOp::Mod;
  }
}

// The parser's temporary lists (chains, arguments, path steps) come from a
// buffer inside the Parser object, so a typical parse allocates none of
// them; a long expression spills into the heap.
using ListItems = std::pmr::vector<ListItem>;

class Parser {
 public:
  Parser(std::string_view source, std::size_t begin, std::size_t end, bool condition, Ast& ast)
      : src_(source), lex_(source, begin, end), condition_(condition), ast_(ast) {}

  NodeIndex parse_all() {
    NodeIndex root = parse_ternary();
    if (peek().kind != Tok::End) unexpected();
    return root;
  }

  // An empty condition means `input` (language.md §4.3).
  NodeIndex current_node() {
    Node n;
    n.kind = NodeKind::Current;
    return add(n);
  }

 private:
  // Syntactic nesting guard (language.md §1.1).
  class Nest {
   public:
    explicit Nest(Parser& p) : p_(p) {
      if (++p_.depth_ > kMaxNesting || stack_too_deep()) {
        --p_.depth_;
        throw CompileFailure{"expression nested too deeply"};
      }
    }
    ~Nest() { --p_.depth_; }
    Nest(const Nest&) = delete;
    Nest& operator=(const Nest&) = delete;

   private:
    Parser& p_;
  };

  // ---- tokens ----

  [[gnu::noinline]] const Token& peek() {
    if (!has_token_) {
      token_ = lex_.next();
      has_token_ = true;
    }
    return token_;
  }

  // Consumes the current token (peek() must have been called).
  void skip() { has_token_ = false; }

  [[noreturn, gnu::noinline]] void unexpected() {
    const Token& t = peek();
    throw SyntaxError{t.pos, "unexpected " + describe_token(src_, t)};
  }

  [[gnu::noinline]] void expect(Tok kind, const char* what) {
    const Token& t = peek();
    if (t.kind != kind) throw SyntaxError{t.pos, std::string(what)};
    skip();
  }

  // ---- AST building ----

  NodeIndex add(const Node& n) {
    if (ast_.nodes.size() >= kMaxAstNodes) throw CompileFailure{"expression too complex"};
    ast_.nodes.push_back(n);
    return static_cast<NodeIndex>(ast_.nodes.size() - 1);
  }

  [[gnu::noinline]] NodeIndex add_literal(Value v) {
    Node n;
    n.kind = NodeKind::Literal;
    n.aux = static_cast<std::uint32_t>(ast_.constants.size());
    ast_.constants.push_back(std::move(v));
    return add(n);
  }

  std::uint32_t add_string(std::string_view s) {
    ast_.strings.emplace_back(s);
    return static_cast<std::uint32_t>(ast_.strings.size() - 1);
  }

  void set_list(Node& n, const ListItems& items) {
    n.list_begin = static_cast<std::uint32_t>(ast_.list.size());
    n.list_size = static_cast<std::uint32_t>(items.size());
    ast_.list.insert(ast_.list.end(), items.begin(), items.end());
  }

  bool is_literal(NodeIndex i) const { return ast_.nodes[i].kind == NodeKind::Literal; }
  const Value& literal(NodeIndex i) const { return ast_.constants[ast_.nodes[i].aux]; }

  // ---- expressions ----

  // ternary := logical_or [ "?" ternary ":" ternary ]
  NodeIndex parse_ternary() {
    NodeIndex cond = parse_binary(kOr);
    if (peek().kind != Tok::Question) return cond;
    return parse_branches(cond);
  }

  [[gnu::noinline]] NodeIndex parse_branches(NodeIndex cond) {
    skip();  // ?
    Nest nest(*this);
    Node n;
    n.kind = NodeKind::Ternary;
    n.a = cond;
    n.b = parse_ternary();
    expect(Tok::Colon, "expected ':'");
    n.c = parse_ternary();
    return add(n);
  }

  // A pending left-associative chain (`a + b - c`, `a && b && c`).
  struct Chain {
    explicit Chain(std::pmr::memory_resource* resource) : items(resource) {}
    int level = 0;
    ListItems items;
  };

  [[gnu::noinline]] void flush(Chain& chain, NodeIndex& left) {
    if (chain.level == 0) return;
    Node n;
    n.kind = chain.level == kOr    ? NodeKind::Or
             : chain.level == kAnd ? NodeKind::And
                                   : NodeKind::Arith;
    set_list(n, chain.items);
    left = add(n);
    chain.level = 0;
    chain.items.clear();
  }

  // Precedence climbing over levels >= min_level. `==`/`!=` and the
  // relational operators do not associate: a second one at the same level
  // is left for the caller, which reports it.
  NodeIndex parse_binary(int min_level) {
    NodeIndex left;
    int last = kNoOperator;
    if (condition_ && min_level <= kEquality && is_compare(peek().kind)) {
      left = parse_shorthand();
      last = kEquality;  // a shorthand is a complete equality
    } else {
      left = parse_unary();
    }
    Chain chain(&temp_);
    while (true) {
      const Tok k = peek().kind;
      const int level = level_of(k);
      if (level == 0 || level < min_level || level > last) break;
      if (level == last && (level == kEquality || level == kRelational)) break;
      skip();
      const NodeIndex right = parse_binary(level + 1);
      if (level == kEquality || level == kRelational) {
        flush(chain, left);
        left = add_compare(k, left, right);
      } else {
        if (chain.level != level) {
          flush(chain, left);
          chain.level = level;
          chain.items.push_back({left, 0});
        }
        const std::uint8_t op = level >= kAdditive ? static_cast<std::uint8_t>(arith_op(k)) : 0;
        chain.items.push_back({right, op});
      }
      last = level;
    }
    flush(chain, left);
    return left;
  }

  [[gnu::noinline]] NodeIndex add_compare(Tok k, NodeIndex left, NodeIndex right) {
    Node n;
    n.kind = NodeKind::Compare;
    n.op = static_cast<std::uint8_t>(compare_op(k));
    n.a = left;
    n.b = right;
    return add(n);
  }

  // Condition shorthand: comparison-operator additive (language.md §4.3).
  [[gnu::noinline]] NodeIndex parse_shorthand() {
    const Tok k = peek().kind;
    skip();
    Node n;
    n.kind = NodeKind::Shorthand;
    n.op = static_cast<std::uint8_t>(compare_op(k));
    n.a = parse_binary(kAdditive);
    return add(n);
  }

  // unary := ( "!" | "-" | "+" ) unary | postfix
  NodeIndex parse_unary() {
    const Tok k = peek().kind;
    if (k != Tok::Bang && k != Tok::Minus && k != Tok::Plus) return parse_postfix();
    skip();
    Nest nest(*this);
    NodeIndex operand;
    if (k == Tok::Bang && condition_ && is_compare(peek().kind)) {
      operand = parse_shorthand();  // `!>5`
    } else {
      operand = parse_unary();
    }
    return make_unary(k, operand);
  }

  [[gnu::noinline]] NodeIndex make_unary(Tok k, NodeIndex operand) {
    if (k == Tok::Minus && is_literal(operand) && literal(operand).is_number()) {
      return add_literal(Value::number(-literal(operand).as_number()));
    }
    Node n;
    n.kind = k == Tok::Bang ? NodeKind::Not : (k == Tok::Minus ? NodeKind::Negate : NodeKind::Plus);
    n.a = operand;
    return add(n);
  }

  // postfix := primary { "." membername [ args ] | "[" expression "]" }
  NodeIndex parse_postfix() {
    const NodeIndex base = parse_primary();
    if (!has_pending_method_) {
      const Tok k = peek().kind;
      if (k != Tok::Dot && k != Tok::LBracket) return base;
    }
    return parse_steps(base);
  }

  [[gnu::noinline]] NodeIndex parse_steps(NodeIndex base) {
    ListItems steps(&temp_);
    if (has_pending_method_) {
      has_pending_method_ = false;
      steps.push_back({parse_method(pending_method_), 0});
    }
    while (true) {
      const Tok k = peek().kind;
      if (k == Tok::Dot) {
        skip();
        steps.push_back({parse_member_step(), 0});
      } else if (k == Tok::LBracket) {
        skip();
        steps.push_back({parse_index_step(), 0});
      } else {
        break;
      }
    }
    Node n;
    n.kind = NodeKind::Path;
    n.a = base;
    set_list(n, steps);
    return add(n);
  }

  // After ".": a member, or a method call when "(" follows.
  [[gnu::noinline]] NodeIndex parse_member_step() {
    const std::string_view name = lex_.member_name();
    if (peek().kind == Tok::LParen) return parse_method(name);
    Node n;
    n.kind = NodeKind::MemberStep;
    n.aux = add_string(name);
    return add(n);
  }

  // After "[".
  [[gnu::noinline]] NodeIndex parse_index_step() {
    Nest nest(*this);
    Node n;
    n.kind = NodeKind::IndexStep;
    n.a = parse_ternary();
    expect(Tok::RBracket, "expected ']'");
    return add(n);
  }

  // `.name(args)` with the name consumed and "(" next.
  [[gnu::noinline]] NodeIndex parse_method(std::string_view name) {
    auto method = find_method(name);
    if (!method) throw CompileFailure{"unknown method: " + std::string(name)};
    skip();  // (
    Nest nest(*this);
    ListItems args = parse_args();
    std::string arity = check_method_arity(*method, args.size());
    if (!arity.empty()) throw CompileFailure{std::move(arity)};
    Node n;
    n.kind = NodeKind::MethodStep;
    n.op = static_cast<std::uint8_t>(*method);
    set_list(n, args);
    return add(n);
  }

  // After "(": [ expression { "," expression } ] ")".
  [[gnu::noinline]] ListItems parse_args() {
    ListItems args(&temp_);
    if (peek().kind == Tok::RParen) {
      skip();
      return args;
    }
    while (true) {
      args.push_back({parse_ternary(), 0});
      if (peek().kind == Tok::Comma) {
        skip();
        continue;
      }
      expect(Tok::RParen, "expected ',' or ')'");
      return args;
    }
  }

  NodeIndex parse_primary() {
    switch (peek().kind) {
      case Tok::Number:
      case Tok::String:
      case Tok::True:
      case Tok::False:
      case Tok::Null:
        return parse_literal();
      case Tok::LParen:
        return parse_paren();
      case Tok::LBracket:
        return parse_array();
      case Tok::LBrace:
        return parse_object();
      case Tok::Ident:
        return parse_name();
      default:
        unexpected();
    }
  }

  [[gnu::noinline]] NodeIndex parse_literal() {
    Value v;
    switch (token_.kind) {
      case Tok::Number:
        v = Value::number(token_.number);
        break;
      case Tok::String:
        v = Value::string(std::move(token_.text));
        break;
      case Tok::True:
        v = Value::boolean(true);
        break;
      case Tok::False:
        v = Value::boolean(false);
        break;
      default:
        break;
    }
    skip();
    return add_literal(std::move(v));
  }

  [[gnu::noinline]] NodeIndex parse_paren() {
    skip();  // (
    Nest nest(*this);
    const NodeIndex inner = parse_ternary();
    expect(Tok::RParen, "expected ')'");
    return inner;
  }

  [[gnu::noinline]] NodeIndex parse_array() {
    skip();  // [
    Nest nest(*this);
    ListItems elems(&temp_);
    if (peek().kind == Tok::RBracket) {
      skip();
    } else {
      while (true) {
        elems.push_back({parse_ternary(), 0});
        if (peek().kind == Tok::Comma) {
          skip();
          if (peek().kind == Tok::RBracket) {
            skip();
            break;
          }
          continue;
        }
        expect(Tok::RBracket, "expected ',' or ']'");
        break;
      }
    }
    const bool constant = std::all_of(elems.begin(), elems.end(),
                                      [&](const ListItem& it) { return is_literal(it.node); });
    if (constant) {
      Array values;
      values.reserve(elems.size());
      for (const auto& it : elems) values.push_back(literal(it.node));
      return add_literal(Value::array(std::move(values)));
    }
    Node n;
    n.kind = NodeKind::ArrayLit;
    set_list(n, elems);
    return add(n);
  }

  // entry := ( ident | string | number ) ":" expression
  [[gnu::noinline]] std::string parse_object_key() {
    const Token& k = peek();
    std::string key;
    switch (k.kind) {
      case Tok::Ident:
      case Tok::True:
      case Tok::False:
      case Tok::Null:
        key = std::string(k.ident);
        break;
      case Tok::String:
        key = std::move(token_.text);
        break;
      case Tok::Number:
        append_go_float(key, k.number);
        break;
      default:
        throw SyntaxError{k.pos, "expected object key"};
    }
    skip();
    expect(Tok::Colon, "expected ':'");
    return key;
  }

  [[gnu::noinline]] NodeIndex parse_object() {
    skip();  // {
    Nest nest(*this);
    std::vector<std::string> keys;
    ListItems values(&temp_);
    if (peek().kind == Tok::RBrace) {
      skip();
    } else {
      while (true) {
        keys.push_back(parse_object_key());
        values.push_back({parse_ternary(), 0});
        if (peek().kind == Tok::Comma) {
          skip();
          if (peek().kind == Tok::RBrace) {
            skip();
            break;
          }
          continue;
        }
        expect(Tok::RBrace, "expected ',' or '}'");
        break;
      }
    }
    return finish_object(keys, values);
  }

  [[gnu::noinline]] NodeIndex finish_object(const std::vector<std::string>& keys,
                                            const ListItems& values) {
    // Sorted keys, last duplicate wins.
    std::vector<std::uint32_t> order(keys.size());
    std::iota(order.begin(), order.end(), 0u);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::uint32_t x, std::uint32_t y) { return keys[x] < keys[y]; });
    ObjectShape shape;
    for (std::size_t i = 0; i < order.size(); ++i) {
      if (i + 1 < order.size() && keys[order[i + 1]] == keys[order[i]]) continue;
      shape.keys.push_back(keys[order[i]]);
      shape.source_slot.push_back(order[i]);
    }
    const bool constant = std::all_of(values.begin(), values.end(),
                                      [&](const ListItem& it) { return is_literal(it.node); });
    if (constant) {
      Object obj;
      obj.reserve(shape.keys.size());
      for (std::size_t i = 0; i < shape.keys.size(); ++i) {
        obj.append_sorted(shape.keys[i], literal(values[shape.source_slot[i]].node));
      }
      return add_literal(Value::object(std::move(obj)));
    }
    Node n;
    n.kind = NodeKind::ObjectLit;
    n.aux = static_cast<std::uint32_t>(ast_.object_keys.size());
    ast_.object_keys.push_back(std::move(shape));
    set_list(n, values);
    return add(n);
  }

  [[noreturn, gnu::noinline]] void needs_member(std::string_view root) {
    throw CompileFailure{"'" + std::string(root) + "' must be followed by a member"};
  }

  [[gnu::noinline]] NodeIndex parse_name() {
    const std::string_view name = token_.ident;  // a view into the source
    skip();
    if (peek().kind == Tok::LParen) return parse_call(name);
    if (name == "node" || name == "variables" || name == "context") return parse_namespace(name);
    Node n;
    if (name == "input" || name == "item") {
      n.kind = NodeKind::Current;
    } else if (name == "index") {
      n.kind = NodeKind::IndexName;
    } else if (name == "items") {
      n.kind = NodeKind::ItemsName;
    } else if (name == "accumulator") {
      n.kind = NodeKind::AccumulatorName;
    } else {
      n.kind = NodeKind::Name;
    }
    n.aux = add_string(name);
    return add(n);
  }

  // name "(" args ")"
  [[gnu::noinline]] NodeIndex parse_call(std::string_view name) {
    auto fn = find_function(name);
    if (!fn) throw CompileFailure{"unknown function: " + std::string(name)};
    skip();  // (
    Nest nest(*this);
    ListItems args = parse_args();
    std::string arity = check_function_arity(*fn, args.size());
    if (!arity.empty()) throw CompileFailure{std::move(arity)};
    Node n;
    n.kind = NodeKind::Call;
    n.op = static_cast<std::uint8_t>(*fn);
    set_list(n, args);
    return add(n);
  }

  [[gnu::noinline]] NodeIndex parse_namespace(std::string_view root) {
    const Tok k = peek().kind;
    Node n;
    if (k == Tok::LBracket) {
      skip();
      Nest nest(*this);
      n.a = parse_ternary();
      expect(Tok::RBracket, "expected ']'");
      n.kind = root == "node"        ? NodeKind::NodeRefDyn
               : root == "variables" ? NodeKind::VariableDyn
                                     : NodeKind::ContextDyn;
      return add(n);
    }
    if (k != Tok::Dot) needs_member(root);
    skip();
    if (root == "node") {
      n.kind = NodeKind::NodeRef;
      n.aux = add_string(lex_.node_id());
      return add(n);
    }
    const std::string_view first = lex_.member_name();
    if (peek().kind == Tok::LParen) needs_member(root);
    if (root == "variables") {
      n.kind = NodeKind::Variable;
      n.aux = add_string(first);
      return add(n);
    }
    // context: collect the plain member chain for the flat-key rule
    // (language.md §4.1.1); a member followed by "(" is a method call and
    // is handed to parse_steps.
    std::string joined(first);
    ListItems ends(&temp_);
    ends.push_back({static_cast<NodeIndex>(joined.size()), 0});
    while (peek().kind == Tok::Dot) {
      skip();
      const std::string_view seg = lex_.member_name();
      if (peek().kind == Tok::LParen) {
        pending_method_ = seg;
        has_pending_method_ = true;
        break;
      }
      joined += '.';
      joined += seg;
      ends.push_back({static_cast<NodeIndex>(joined.size()), 0});
    }
    n.kind = NodeKind::Context;
    n.aux = add_string(joined);
    set_list(n, ends);
    return add(n);
  }

  std::string_view src_;
  Lexer lex_;
  bool condition_;
  Ast& ast_;
  Token token_;
  bool has_token_ = false;
  std::string_view pending_method_;
  bool has_pending_method_ = false;
  int depth_ = 0;
  alignas(std::max_align_t) std::byte temp_buffer_[512];
  std::pmr::monotonic_buffer_resource temp_{temp_buffer_, sizeof temp_buffer_};
};

}  // namespace

std::string parse_expression(std::string_view source, StartSymbol start, Ast& ast) {
  if (source.size() > kMaxSourceLength) return "expression too long";
  std::string_view trimmed = go::unicode::trim_space(source);
  const std::size_t begin = static_cast<std::size_t>(trimmed.data() - source.data());
  const std::size_t end = begin + trimmed.size();
  const bool condition = start == StartSymbol::Condition;
  // Typical expressions are short: one allocation per vector up front.
  ast.nodes.reserve(std::min<std::size_t>(trimmed.size() / 2 + 4, 256));
  ast.list.reserve(8);
  ast.constants.reserve(4);
  ast.strings.reserve(4);
  try {
    Parser parser(source, begin, end, condition, ast);
    if (trimmed.empty() && condition) {
      ast.root = parser.current_node();
    } else {
      ast.root = parser.parse_all();
    }
  } catch (const SyntaxError& e) {
    return "expression syntax error at position " + std::to_string(e.pos) + ": " + e.what;
  } catch (const CompileFailure& e) {
    return e.message;
  }
  return {};
}

}  // namespace thaiyyal::expr
