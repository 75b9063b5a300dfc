// The `format` checkers of gojsonschema v1.2.0 (format_checkers.go), as far
// as their Go library calls can be reproduced.
#pragma once

#include <string_view>

#include "engine/common/no_postgres.hpp"

namespace thaiyyal::schema {

// Whether gojsonschema knows the format name (unknown formats always pass).
bool is_known_format(std::string_view format);
// Checks a string against a known format.
bool check_format(std::string_view format, std::string_view value);

}  // namespace thaiyyal::schema
