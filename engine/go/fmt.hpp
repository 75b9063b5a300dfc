// Go's fmt `%v` of any value (values.md §4): what text templates, string
// concatenation and messages show for numbers, containers and times.
#pragma once

#include <string>

#include "engine/common/no_postgres.hpp"
#include "engine/value/value.hpp"

namespace thaiyyal {

void append_go_v(std::string& out, const Value& v);
std::string go_v(const Value& v);

}  // namespace thaiyyal
