// docs/NODES.md, the node index, against the node registry: every type and
// every legacy alias registered in NodeRegistry::builtin() has its row, and
// the index lists nothing the registry lacks. A node type added without its
// row (or removed with its row left behind) fails here.
//
// The index is read as Markdown: under the heading "## Types" every table
// row whose first cell is a `code` name is a type; under "## Legacy
// aliases" every such row is an alias, and its second cell names the
// target type in `code`.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "engine/nodes/node_type.hpp"

namespace thaiyyal {
namespace {

// What the registry holds: types (a name that is its info's own type) and
// aliases (another name for a type), alias -> target.
struct Registered {
  std::set<std::string> types;
  std::map<std::string, std::string> aliases;
};

Registered registered() {
  Registered r;
  for (const auto& [name, info] : NodeRegistry::builtin().names()) {
    if (name == info->type) {
      r.types.insert(name);
    } else {
      r.aliases.emplace(name, info->type);
    }
  }
  return r;
}

// What docs/NODES.md lists; `duplicates` holds names listed twice.
struct Index {
  std::set<std::string> types;
  std::map<std::string, std::string> aliases;
  std::vector<std::string> duplicates;
  bool read = false;
};

// The text between the n-th pair of backticks of a table row's cells
// (cell 0 is the first cell after the leading '|'), or "" if that cell
// has no `code`.
std::string code_in_cell(const std::string& row, int n) {
  std::vector<std::string> cells;
  std::string cell;
  for (std::size_t i = 1; i < row.size(); ++i) {
    if (row[i] == '|') {
      cells.push_back(cell);
      cell.clear();
    } else {
      cell += row[i];
    }
  }
  if (n >= static_cast<int>(cells.size())) return {};
  const std::string& c = cells[n];
  const auto open = c.find('`');
  if (open == std::string::npos) return {};
  const auto close = c.find('`', open + 1);
  if (close == std::string::npos) return {};
  return c.substr(open + 1, close - open - 1);
}

Index read_index() {
  Index index;
  std::ifstream in(std::string(THAIYYAL_SOURCE_DIR) + "/docs/NODES.md");
  if (!in) return index;
  index.read = true;
  enum class Section { Other, Types, Aliases } section = Section::Other;
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("## ", 0) == 0) {
      section = line == "## Types"            ? Section::Types
                : line == "## Legacy aliases" ? Section::Aliases
                                              : Section::Other;
      continue;
    }
    if (section == Section::Other || line.rfind("| `", 0) != 0) continue;
    const std::string name = code_in_cell(line, 0);
    if (name.empty()) continue;
    if (section == Section::Types) {
      if (!index.types.insert(name).second) index.duplicates.push_back(name);
    } else {
      if (!index.aliases.emplace(name, code_in_cell(line, 1)).second) {
        index.duplicates.push_back(name);
      }
    }
  }
  return index;
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

TEST(NodeIndex, IndexIsReadable) {
  const Index index = read_index();
  ASSERT_TRUE(index.read) << "cannot read " << THAIYYAL_SOURCE_DIR << "/docs/NODES.md";
  EXPECT_FALSE(index.types.empty()) << "docs/NODES.md has no rows under \"## Types\"";
  EXPECT_TRUE(index.duplicates.empty())
      << "listed twice in docs/NODES.md: " << join(index.duplicates);
}

TEST(NodeIndex, EveryRegisteredTypeIsListed) {
  const Index index = read_index();
  ASSERT_TRUE(index.read);
  std::vector<std::string> missing;
  for (const std::string& type : registered().types) {
    if (index.types.count(type) == 0) missing.push_back(type);
  }
  EXPECT_TRUE(missing.empty()) << "registered node types without a row under \"## Types\" in "
                                  "docs/NODES.md: "
                               << join(missing);
}

TEST(NodeIndex, ListsOnlyRegisteredTypes) {
  const Index index = read_index();
  ASSERT_TRUE(index.read);
  const Registered r = registered();
  std::vector<std::string> unknown;
  for (const std::string& type : index.types) {
    if (r.types.count(type) == 0) unknown.push_back(type);
  }
  EXPECT_TRUE(unknown.empty()) << "docs/NODES.md lists types the registry does not have: "
                               << join(unknown);
}

TEST(NodeIndex, EveryAliasIsListedWithItsTarget) {
  const Index index = read_index();
  ASSERT_TRUE(index.read);
  const Registered r = registered();
  std::vector<std::string> problems;
  for (const auto& [alias, target] : r.aliases) {
    const auto it = index.aliases.find(alias);
    if (it == index.aliases.end()) {
      problems.push_back(alias + " (missing)");
    } else if (it->second != target) {
      problems.push_back(alias + " (listed for `" + it->second + "`, registered for `" + target +
                         "`)");
    }
  }
  for (const auto& entry : index.aliases) {
    if (r.aliases.count(entry.first) == 0) problems.push_back(entry.first + " (not registered)");
  }
  EXPECT_TRUE(problems.empty()) << "\"## Legacy aliases\" in docs/NODES.md: " << join(problems);
}

// The enumeration itself: what it lists is what find() resolves, so the
// tests above compare the index with the registry that payloads use.
TEST(NodeIndex, EnumerationAgreesWithFind) {
  const Registered r = registered();
  ASSERT_FALSE(r.types.empty());
  const NodeRegistry& registry = NodeRegistry::builtin();
  for (const std::string& type : r.types) {
    const NodeTypeInfo* info = registry.find(type);
    ASSERT_NE(info, nullptr) << type;
    EXPECT_EQ(info->type, type);
  }
  for (const auto& [alias, target] : r.aliases) {
    const NodeTypeInfo* info = registry.find(alias);
    ASSERT_NE(info, nullptr) << alias;
    EXPECT_EQ(info->type, target) << alias;
  }
}

}  // namespace
}  // namespace thaiyyal
