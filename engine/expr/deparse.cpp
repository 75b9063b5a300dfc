// Printing a parsed expression (deparse.hpp).
#include "engine/expr/deparse.hpp"

#include <string_view>

#include "engine/go/json.hpp"
#include "engine/go/strconv.hpp"

namespace thaiyyal::expr {

namespace {

std::string_view arith_text(std::uint8_t op) {
  switch (static_cast<ArithOp>(op)) {
    case ArithOp::Add:
      return " + ";
    case ArithOp::Sub:
      return " - ";
    case ArithOp::Mul:
      return " * ";
    case ArithOp::Div:
      return " / ";
    case ArithOp::Mod:
      return " % ";
  }
  return " ? ";
}

std::string_view compare_text(std::uint8_t op) {
  switch (static_cast<CompareOp>(op)) {
    case CompareOp::Eq:
      return "==";
    case CompareOp::Ne:
      return "!=";
    case CompareOp::Lt:
      return "<";
    case CompareOp::Le:
      return "<=";
    case CompareOp::Gt:
      return ">";
    case CompareOp::Ge:
      return ">=";
  }
  return "?";
}

class Printer {
 public:
  explicit Printer(const Ast& ast) : ast_(ast) {}

  void node(NodeIndex index) {
    const Node& n = ast_.nodes[static_cast<std::size_t>(index)];
    switch (n.kind) {
      case NodeKind::Literal:
        literal(ast_.constants[n.aux]);
        return;
      case NodeKind::Current:
        // An empty condition is `input` with no name in the source.
        out_ += n.aux < ast_.strings.size() ? std::string_view(ast_.strings[n.aux]) : "input";
        return;
      case NodeKind::IndexName:
      case NodeKind::ItemsName:
      case NodeKind::AccumulatorName:
      case NodeKind::Name:
        out_ += ast_.strings[n.aux];
        return;
      case NodeKind::Variable:
        out_ += "variables.";
        out_ += ast_.strings[n.aux];
        return;
      case NodeKind::VariableDyn:
        dynamic("variables", n.a);
        return;
      case NodeKind::Context:
        out_ += "context.";
        out_ += ast_.strings[n.aux];
        return;
      case NodeKind::ContextDyn:
        dynamic("context", n.a);
        return;
      case NodeKind::NodeRef:
        out_ += "node.";
        out_ += ast_.strings[n.aux];
        return;
      case NodeKind::NodeRefDyn:
        dynamic("node", n.a);
        return;
      case NodeKind::Path:
        node(n.a);
        for (std::uint32_t i = 0; i < n.list_size; ++i) node(ast_.items(n)[i].node);
        return;
      case NodeKind::MemberStep:
        out_ += '.';
        out_ += ast_.strings[n.aux];
        return;
      case NodeKind::IndexStep:
        out_ += '[';
        node(n.a);
        out_ += ']';
        return;
      case NodeKind::MethodStep:
        out_ += '.';
        out_ += method_name(static_cast<Method>(n.op));
        arguments(n, "(", ")");
        return;
      case NodeKind::Call:
        out_ += function_name(static_cast<Function>(n.op));
        arguments(n, "(", ")");
        return;
      case NodeKind::ArrayLit:
        arguments(n, "[", "]");
        return;
      case NodeKind::ObjectLit:
        object(n);
        return;
      case NodeKind::Negate:
        unary("-", n.a);
        return;
      case NodeKind::Plus:
        unary("+", n.a);
        return;
      case NodeKind::Not:
        unary("!", n.a);
        return;
      case NodeKind::Arith:
        out_ += '(';
        for (std::uint32_t i = 0; i < n.list_size; ++i) {
          const ListItem& item = ast_.items(n)[i];
          if (i > 0) out_ += arith_text(item.op);
          node(item.node);
        }
        out_ += ')';
        return;
      case NodeKind::Compare:
        out_ += '(';
        node(n.a);
        out_ += ' ';
        out_ += compare_text(n.op);
        out_ += ' ';
        node(n.b);
        out_ += ')';
        return;
      case NodeKind::Shorthand:
        out_ += '(';
        out_ += compare_text(n.op);
        out_ += ' ';
        node(n.a);
        out_ += ')';
        return;
      case NodeKind::And:
      case NodeKind::Or:
        out_ += '(';
        for (std::uint32_t i = 0; i < n.list_size; ++i) {
          if (i > 0) out_ += n.kind == NodeKind::And ? " && " : " || ";
          node(ast_.items(n)[i].node);
        }
        out_ += ')';
        return;
      case NodeKind::Ternary:
        out_ += '(';
        node(n.a);
        out_ += " ? ";
        node(n.b);
        out_ += " : ";
        node(n.c);
        out_ += ')';
        return;
    }
  }

  std::string take() { return std::move(out_); }

 private:
  void literal(const Value& v) {
    if (v.is_string()) {
      write_json_string(out_, v.as_string(), JsonStyle::Plain);
    } else if (v.is_number()) {
      append_go_float(out_, v.as_number());
    } else {
      // null, booleans, and arrays / objects folded from constant literals.
      write_json(out_, v, JsonStyle::Plain);
    }
  }

  void dynamic(std::string_view root, NodeIndex key) {
    out_ += root;
    out_ += '[';
    node(key);
    out_ += ']';
  }

  void unary(std::string_view op, NodeIndex operand) {
    out_ += '(';
    out_ += op;
    node(operand);
    out_ += ')';
  }

  void arguments(const Node& n, std::string_view open, std::string_view close) {
    out_ += open;
    for (std::uint32_t i = 0; i < n.list_size; ++i) {
      if (i > 0) out_ += ", ";
      node(ast_.items(n)[i].node);
    }
    out_ += close;
  }

  // Keys in the order the parser resolved them (sorted, last duplicate
  // wins): the object the evaluator builds.
  void object(const Node& n) {
    const ObjectShape& shape = ast_.object_keys[n.aux];
    out_ += '{';
    for (std::size_t i = 0; i < shape.keys.size(); ++i) {
      if (i > 0) out_ += ", ";
      write_json_string(out_, shape.keys[i], JsonStyle::Plain);
      out_ += ": ";
      node(ast_.items(n)[shape.source_slot[i]].node);
    }
    out_ += '}';
  }

  const Ast& ast_;
  std::string out_;
};

}  // namespace

std::string deparse(const Ast& ast) {
  if (ast.root == kNoNode) return {};
  Printer printer(ast);
  printer.node(ast.root);
  return printer.take();
}

}  // namespace thaiyyal::expr
