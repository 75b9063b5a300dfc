// Recursive-descent parser for language.md §3, producing the flat AST of
// ast.hpp. Function and method names and arities are checked here.
#pragma once

#include <string>
#include <string_view>

#include "engine/common/no_postgres.hpp"
#include "engine/expr/ast.hpp"
#include "engine/expr/expression.hpp"

namespace thaiyyal::expr {

// Compile-time limits (language.md §1.1).
inline constexpr std::size_t kMaxSourceLength = 65536;
inline constexpr std::size_t kMaxAstNodes = 10000;
inline constexpr int kMaxNesting = 128;

// Parses `source` with the given start symbol into `ast`. Returns an empty
// string on success, else the complete error message
// ("expression syntax error at position 3: …", "unknown function: foo", …).
std::string parse_expression(std::string_view source, StartSymbol start, Ast& ast);

}  // namespace thaiyyal::expr
