// Exact decimal numbers for JSON Schema keywords: gojsonschema compares and
// divides the literal text of JSON numbers as big.Rat values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/common/no_postgres.hpp"

namespace thaiyyal::schema {

// sign × digits × 10^exponent, digits without leading or trailing zeros
// (empty digits = zero).
class Decimal {
 public:
  // A JSON number literal (optionally any text big.Rat.SetString accepts in
  // decimal form); nullopt when it is not one.
  static std::optional<Decimal> parse(std::string_view literal);

  bool is_zero() const { return digits_.empty(); }
  bool negative() const { return negative_; }
  bool is_integer() const { return is_zero() || exponent_ >= 0; }
  // -1, 0, 1.
  int compare(const Decimal& other) const;
  // Whether this / divisor is an integer (divisor > 0).
  bool is_multiple_of(const Decimal& divisor) const;

 private:
  bool negative_ = false;
  std::string digits_;
  std::int64_t exponent_ = 0;
};

// Go: new(big.Float).SetRat(<literal>).Text('g', 10), which gojsonschema's
// error templates print for minimum, maximum and multipleOf.
std::string big_float_g10(std::string_view literal);

}  // namespace thaiyyal::schema
