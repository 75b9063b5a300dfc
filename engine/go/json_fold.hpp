// encoding/json's case-insensitive field matching (Go 1.21+ foldName): two
// names match when they are equal after every ASCII letter is upper-cased
// and every other rune is replaced by the smallest rune of its
// unicode.SimpleFold orbit. So "Nodes", "NODES" and "nodeſ" (U+017F LATIN
// SMALL LETTER LONG S) all match "nodes" (workflow-format.md §1).
#pragma once

#include <string_view>

#include "engine/common/no_postgres.hpp"

namespace thaiyyal::go {

bool json_names_fold_equal(std::string_view a, std::string_view b);

}  // namespace thaiyyal::go
