// An expression as the parser understood it (thaiyyal.explain): every
// operator application in parentheses, chains of one precedence level as
// one group, constant arrays and objects folded into JSON literals, and
// string literals re-quoted. What the text shows is the tree the evaluator
// runs, so `a + b * c` reads `(a + (b * c))` and `>5 && <10` reads
// `((> 5) && (< 10))`.
#pragma once

#include <string>

#include "engine/common/no_postgres.hpp"
#include "engine/expr/ast.hpp"

namespace thaiyyal::expr {

// The text of the parsed tree; "" for an empty tree. Recursion is bounded
// by the parser's nesting limit (kMaxNesting).
std::string deparse(const Ast& ast);

}  // namespace thaiyyal::expr
