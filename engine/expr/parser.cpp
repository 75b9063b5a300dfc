#include "expr/parser.hpp"

#include <algorithm>
#include <numeric>
#include <utility>
#include <vector>

#include "expr/lexer.hpp"
#include "expr/unicode.hpp"
#include "format/go_format.hpp"

namespace thaiyyal::expr {

namespace {

// A compile error that is not a syntax error (limits, unknown names,
// arity); the message is reported as is.
struct CompileFailure {
  std::string message;
};

bool is_compare(Tok k) {
  return k == Tok::EqEq || k == Tok::NotEq || k == Tok::Lt || k == Tok::Le || k == Tok::Gt ||
         k == Tok::Ge;
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

class Parser {
 public:
  Parser(std::string_view source, std::size_t begin, std::size_t end, bool condition, Ast& ast)
      : src_(source), lex_(source, begin, end), condition_(condition), ast_(ast) {}

  NodeIndex parse_all() {
    NodeIndex root = parse_ternary();
    if (peek().kind != Tok::End) unexpected(peek());
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
      if (++p_.depth_ > kMaxNesting) throw CompileFailure{"expression nested too deeply"};
    }
    ~Nest() { --p_.depth_; }
    Nest(const Nest&) = delete;
    Nest& operator=(const Nest&) = delete;

   private:
    Parser& p_;
  };

  const Token& peek() {
    if (!has_token_) {
      token_ = lex_.next();
      has_token_ = true;
    }
    return token_;
  }

  Token take() {
    peek();
    has_token_ = false;
    return std::move(token_);
  }

  [[noreturn]] void unexpected(const Token& t) {
    throw SyntaxError{t.pos, "unexpected " + describe_token(src_, t)};
  }

  void expect(Tok kind, const char* what) {
    const Token& t = peek();
    if (t.kind != kind) throw SyntaxError{t.pos, std::string(what)};
    take();
  }

  NodeIndex add(const Node& n) {
    if (ast_.nodes.size() >= kMaxAstNodes) throw CompileFailure{"expression too complex"};
    ast_.nodes.push_back(n);
    return static_cast<NodeIndex>(ast_.nodes.size() - 1);
  }

  NodeIndex add_literal(Value v) {
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

  void set_list(Node& n, const std::vector<ListItem>& items) {
    n.list_begin = static_cast<std::uint32_t>(ast_.list.size());
    n.list_size = static_cast<std::uint32_t>(items.size());
    ast_.list.insert(ast_.list.end(), items.begin(), items.end());
  }

  bool is_literal(NodeIndex i) const { return ast_.nodes[i].kind == NodeKind::Literal; }
  const Value& literal(NodeIndex i) const { return ast_.constants[ast_.nodes[i].aux]; }

  // ternary := logical_or [ "?" ternary ":" ternary ]
  NodeIndex parse_ternary() {
    NodeIndex cond = parse_or();
    if (peek().kind != Tok::Question) return cond;
    take();
    Nest nest(*this);
    NodeIndex yes = parse_ternary();
    expect(Tok::Colon, "expected ':'");
    NodeIndex no = parse_ternary();
    Node n;
    n.kind = NodeKind::Ternary;
    n.a = cond;
    n.b = yes;
    n.c = no;
    return add(n);
  }

  NodeIndex parse_or() {
    NodeIndex first = parse_and();
    if (peek().kind != Tok::OrOr) return first;
    std::vector<ListItem> items{{first, 0}};
    while (peek().kind == Tok::OrOr) {
      take();
      items.push_back({parse_and(), 0});
    }
    Node n;
    n.kind = NodeKind::Or;
    set_list(n, items);
    return add(n);
  }

  NodeIndex parse_and() {
    NodeIndex first = parse_equality();
    if (peek().kind != Tok::AndAnd) return first;
    std::vector<ListItem> items{{first, 0}};
    while (peek().kind == Tok::AndAnd) {
      take();
      items.push_back({parse_equality(), 0});
    }
    Node n;
    n.kind = NodeKind::And;
    set_list(n, items);
    return add(n);
  }

  // equality := relational [ ("==" | "!=") relational ]
  //           | comparison-operator additive          (condition shorthand)
  NodeIndex parse_equality() {
    if (condition_ && is_compare(peek().kind)) return parse_shorthand();
    NodeIndex left = parse_relational();
    Tok k = peek().kind;
    if (k != Tok::EqEq && k != Tok::NotEq) return left;
    take();
    NodeIndex right = parse_relational();
    return add_compare(k, left, right);
  }

  NodeIndex parse_shorthand() {
    Tok k = take().kind;
    NodeIndex right = parse_additive();
    Node n;
    n.kind = NodeKind::Shorthand;
    n.op = static_cast<std::uint8_t>(compare_op(k));
    n.a = right;
    return add(n);
  }

  NodeIndex parse_relational() {
    NodeIndex left = parse_additive();
    Tok k = peek().kind;
    if (k != Tok::Lt && k != Tok::Le && k != Tok::Gt && k != Tok::Ge) return left;
    take();
    NodeIndex right = parse_additive();
    return add_compare(k, left, right);
  }

  NodeIndex add_compare(Tok k, NodeIndex left, NodeIndex right) {
    Node n;
    n.kind = NodeKind::Compare;
    n.op = static_cast<std::uint8_t>(compare_op(k));
    n.a = left;
    n.b = right;
    return add(n);
  }

  NodeIndex parse_additive() {
    NodeIndex first = parse_multiplicative();
    Tok k = peek().kind;
    if (k != Tok::Plus && k != Tok::Minus) return first;
    std::vector<ListItem> items{{first, 0}};
    while (true) {
      k = peek().kind;
      ArithOp op;
      if (k == Tok::Plus) {
        op = ArithOp::Add;
      } else if (k == Tok::Minus) {
        op = ArithOp::Sub;
      } else {
        break;
      }
      take();
      items.push_back({parse_multiplicative(), static_cast<std::uint8_t>(op)});
    }
    return add_arith(items);
  }

  NodeIndex parse_multiplicative() {
    NodeIndex first = parse_unary();
    Tok k = peek().kind;
    if (k != Tok::Star && k != Tok::Slash && k != Tok::Percent) return first;
    std::vector<ListItem> items{{first, 0}};
    while (true) {
      k = peek().kind;
      ArithOp op;
      if (k == Tok::Star) {
        op = ArithOp::Mul;
      } else if (k == Tok::Slash) {
        op = ArithOp::Div;
      } else if (k == Tok::Percent) {
        op = ArithOp::Mod;
      } else {
        break;
      }
      take();
      items.push_back({parse_unary(), static_cast<std::uint8_t>(op)});
    }
    return add_arith(items);
  }

  NodeIndex add_arith(const std::vector<ListItem>& items) {
    Node n;
    n.kind = NodeKind::Arith;
    set_list(n, items);
    return add(n);
  }

  NodeIndex parse_unary() {
    Tok k = peek().kind;
    if (k != Tok::Bang && k != Tok::Minus && k != Tok::Plus) return parse_postfix();
    take();
    Nest nest(*this);
    NodeIndex operand;
    if (k == Tok::Bang && condition_ && is_compare(peek().kind)) {
      operand = parse_shorthand();  // `!>5`
    } else {
      operand = parse_unary();
    }
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
    NodeIndex base = parse_primary();
    std::vector<ListItem> steps;
    if (has_pending_method_) {
      has_pending_method_ = false;
      Token name = std::move(pending_method_);
      steps.push_back({parse_method(name), 0});
    }
    while (true) {
      Tok k = peek().kind;
      if (k == Tok::Dot) {
        take();
        Token name = lex_.member_name();
        if (peek().kind == Tok::LParen) {
          steps.push_back({parse_method(name), 0});
        } else {
          Node n;
          n.kind = NodeKind::MemberStep;
          n.aux = add_string(name.ident);
          steps.push_back({add(n), 0});
        }
      } else if (k == Tok::LBracket) {
        take();
        Nest nest(*this);
        NodeIndex index = parse_ternary();
        expect(Tok::RBracket, "expected ']'");
        Node n;
        n.kind = NodeKind::IndexStep;
        n.a = index;
        steps.push_back({add(n), 0});
      } else {
        break;
      }
    }
    if (steps.empty()) return base;
    Node n;
    n.kind = NodeKind::Path;
    n.a = base;
    set_list(n, steps);
    return add(n);
  }

  // `.name(args)` with the name already consumed and `(` next.
  NodeIndex parse_method(const Token& name) {
    auto method = find_method(name.ident);
    if (!method) throw CompileFailure{"unknown method: " + std::string(name.ident)};
    take();  // (
    Nest nest(*this);
    std::vector<ListItem> args = parse_args();
    std::string arity = check_method_arity(*method, args.size());
    if (!arity.empty()) throw CompileFailure{std::move(arity)};
    Node n;
    n.kind = NodeKind::MethodStep;
    n.op = static_cast<std::uint8_t>(*method);
    set_list(n, args);
    return add(n);
  }

  // After "(": [ expression { "," expression } ] ")".
  std::vector<ListItem> parse_args() {
    std::vector<ListItem> args;
    if (peek().kind == Tok::RParen) {
      take();
      return args;
    }
    while (true) {
      args.push_back({parse_ternary(), 0});
      if (peek().kind == Tok::Comma) {
        take();
        continue;
      }
      expect(Tok::RParen, "expected ',' or ')'");
      return args;
    }
  }

  NodeIndex parse_primary() {
    Token t = take();
    switch (t.kind) {
      case Tok::Number:
        return add_literal(Value::number(t.number));
      case Tok::String:
        return add_literal(Value::string(std::move(t.text)));
      case Tok::True:
        return add_literal(Value::boolean(true));
      case Tok::False:
        return add_literal(Value::boolean(false));
      case Tok::Null:
        return add_literal(Value::null());
      case Tok::LParen: {
        Nest nest(*this);
        NodeIndex inner = parse_ternary();
        expect(Tok::RParen, "expected ')'");
        return inner;
      }
      case Tok::LBracket:
        return parse_array();
      case Tok::LBrace:
        return parse_object();
      case Tok::Ident:
        return parse_name(t);
      default:
        unexpected(t);
    }
  }

  NodeIndex parse_array() {
    Nest nest(*this);
    std::vector<ListItem> elems;
    if (peek().kind == Tok::RBracket) {
      take();
    } else {
      while (true) {
        elems.push_back({parse_ternary(), 0});
        if (peek().kind == Tok::Comma) {
          take();
          if (peek().kind == Tok::RBracket) {
            take();
            break;
          }
          continue;
        }
        expect(Tok::RBracket, "expected ',' or ']'");
        break;
      }
    }
    bool constant = std::all_of(elems.begin(), elems.end(),
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

  NodeIndex parse_object() {
    Nest nest(*this);
    std::vector<std::string> keys;
    std::vector<ListItem> values;
    if (peek().kind == Tok::RBrace) {
      take();
    } else {
      while (true) {
        Token k = take();
        std::string key;
        switch (k.kind) {
          case Tok::Ident:
          case Tok::True:
          case Tok::False:
          case Tok::Null:
            key = std::string(k.ident);
            break;
          case Tok::String:
            key = std::move(k.text);
            break;
          case Tok::Number:
            append_go_float(key, k.number);
            break;
          default:
            throw SyntaxError{k.pos, "expected object key"};
        }
        expect(Tok::Colon, "expected ':'");
        values.push_back({parse_ternary(), 0});
        keys.push_back(std::move(key));
        if (peek().kind == Tok::Comma) {
          take();
          if (peek().kind == Tok::RBrace) {
            take();
            break;
          }
          continue;
        }
        expect(Tok::RBrace, "expected ',' or '}'");
        break;
      }
    }
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
    bool constant = std::all_of(values.begin(), values.end(),
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

  [[noreturn]] void needs_member(std::string_view root) {
    throw CompileFailure{"'" + std::string(root) + "' must be followed by a member"};
  }

  NodeIndex parse_name(const Token& t) {
    const std::string_view name = t.ident;
    if (peek().kind == Tok::LParen) {
      auto fn = find_function(name);
      if (!fn) throw CompileFailure{"unknown function: " + std::string(name)};
      take();
      Nest nest(*this);
      std::vector<ListItem> args = parse_args();
      std::string arity = check_function_arity(*fn, args.size());
      if (!arity.empty()) throw CompileFailure{std::move(arity)};
      Node n;
      n.kind = NodeKind::Call;
      n.op = static_cast<std::uint8_t>(*fn);
      set_list(n, args);
      return add(n);
    }
    if (name == "node" || name == "variables" || name == "context") {
      return parse_namespace(name);
    }
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

  NodeIndex parse_namespace(std::string_view root) {
    Tok k = peek().kind;
    Node n;
    if (k == Tok::LBracket) {
      take();
      Nest nest(*this);
      n.a = parse_ternary();
      expect(Tok::RBracket, "expected ']'");
      n.kind = root == "node"        ? NodeKind::NodeRefDyn
               : root == "variables" ? NodeKind::VariableDyn
                                     : NodeKind::ContextDyn;
      return add(n);
    }
    if (k != Tok::Dot) needs_member(root);
    take();
    if (root == "node") {
      Token id = lex_.node_id();
      n.kind = NodeKind::NodeRef;
      n.aux = add_string(id.ident);
      return add(n);
    }
    Token first = lex_.member_name();
    if (peek().kind == Tok::LParen) needs_member(root);
    if (root == "variables") {
      n.kind = NodeKind::Variable;
      n.aux = add_string(first.ident);
      return add(n);
    }
    // context: collect the plain member chain for the flat-key rule
    // (language.md §4.1.1); a member followed by "(" is a method call and
    // is handed to parse_postfix.
    std::string joined(first.ident);
    std::vector<ListItem> ends{{static_cast<NodeIndex>(joined.size()), 0}};
    while (peek().kind == Tok::Dot) {
      take();
      Token seg = lex_.member_name();
      if (peek().kind == Tok::LParen) {
        pending_method_ = std::move(seg);
        has_pending_method_ = true;
        break;
      }
      joined += '.';
      joined += seg.ident;
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
  Token pending_method_;
  bool has_pending_method_ = false;
  int depth_ = 0;
};

}  // namespace

std::string parse_expression(std::string_view source, StartSymbol start, Ast& ast) {
  if (source.size() > kMaxSourceLength) return "expression too long";
  std::string_view trimmed = unicode::trim_space(source);
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
