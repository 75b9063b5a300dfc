// Go textual conventions: values.md §3 (ParseFloat), §4 (%v), §6 (JSON
// numbers), §1.3 (time) and §7 (durations).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "engine/go/fmt.hpp"
#include "engine/go/strconv.hpp"
#include "engine/go/time.hpp"

namespace thaiyyal {
namespace {

std::string json_number(double d) {
  std::string out;
  append_json_number(out, d);
  return out;
}

// ---------------------------------------------------------------------------
// values.md §4: the verified table, both columns.

struct NumberRow {
  double value;
  const char* go_v;
  const char* json;
};

const NumberRow kVerifiedTable[] = {
    {0, "0", "0"},
    {-0.0, "-0", "-0"},
    {1, "1", "1"},
    {2.5, "2.5", "2.5"},
    {100000, "100000", "100000"},
    {999999, "999999", "999999"},
    {123456, "123456", "123456"},
    {1000000, "1e+06", "1000000"},
    {1234567, "1.234567e+06", "1234567"},
    {1234567.5, "1.2345675e+06", "1234567.5"},
    {999999.9, "999999.9", "999999.9"},
    {123456789, "1.23456789e+08", "123456789"},
    {-1000000, "-1e+06", "-1000000"},
    {0.0001, "0.0001", "0.0001"},
    {0.00012, "0.00012", "0.00012"},
    {0.00001, "1e-05", "0.00001"},
    {0.000012, "1.2e-05", "0.000012"},
    {1.5e-7, "1.5e-07", "1.5e-7"},
    {1e20, "1e+20", "100000000000000000000"},
    {1e21, "1e+21", "1e+21"},
    {1.0 / 3.0, "0.3333333333333333", "0.3333333333333333"},
    {12345678901234567890.0, "1.2345678901234567e+19", "12345678901234567000"},
};

TEST(GoFormatNumber, VerifiedTableGoV) {
  for (const auto& row : kVerifiedTable) {
    EXPECT_EQ(go_float(row.value), row.go_v) << "value " << row.json;
  }
}

TEST(GoFormatNumber, VerifiedTableJson) {
  for (const auto& row : kVerifiedTable) {
    EXPECT_EQ(json_number(row.value), row.json) << "value " << row.go_v;
  }
}

TEST(GoFormatNumber, GoVOfNumberValueMatchesGoFloat) {
  for (const auto& row : kVerifiedTable) {
    EXPECT_EQ(go_v(Value::number(row.value)), row.go_v);
  }
}

TEST(GoFormatNumber, GoVSpecialValues) {
  EXPECT_EQ(go_float(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(go_float(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(go_float(std::numeric_limits<double>::quiet_NaN()), "NaN");
}

TEST(GoFormatNumber, GoVExponentHasAtLeastTwoDigits) {
  EXPECT_EQ(go_float(1e100), "1e+100");
  EXPECT_EQ(go_float(1e-100), "1e-100");
  EXPECT_EQ(go_float(1.7976931348623157e308), "1.7976931348623157e+308");
  EXPECT_EQ(go_float(5e-324), "5e-324");
  EXPECT_EQ(go_float(1e-5), "1e-05");
  EXPECT_EQ(go_float(-2.5e-9), "-2.5e-09");
}

TEST(GoFormatNumber, GoVPlainRangeIsExponentMinus4To5) {
  EXPECT_EQ(go_float(0.00015), "0.00015");
  EXPECT_EQ(go_float(999999.5), "999999.5");
  EXPECT_EQ(go_float(123456.789), "123456.789");
  EXPECT_EQ(go_float(0.1), "0.1");
  EXPECT_EQ(go_float(-0.5), "-0.5");
  EXPECT_EQ(go_float(1e6 + 0.5), "1.0000005e+06");
}

TEST(GoFormatNumber, JsonExponentFormHasNoPadding) {
  EXPECT_EQ(json_number(1e-7), "1e-7");
  EXPECT_EQ(json_number(3.3333333333333334e-8), "3.3333333333333334e-8");
  EXPECT_EQ(json_number(1e-10), "1e-10");
  EXPECT_EQ(json_number(1.5e300), "1.5e+300");
  EXPECT_EQ(json_number(-1e21), "-1e+21");
  EXPECT_EQ(json_number(5e-324), "5e-324");
}

TEST(GoFormatNumber, JsonPlainRangeIsOneMillionthToBelow1e21) {
  EXPECT_EQ(json_number(0.000001), "0.000001");
  EXPECT_EQ(json_number(9.99999e-7), "9.99999e-7");
  EXPECT_EQ(json_number(999999999999999900000.0), "999999999999999900000");
  EXPECT_EQ(json_number(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(json_number(1e15), "1000000000000000");
  EXPECT_EQ(json_number(123456789012345680.0), "123456789012345680");
  EXPECT_EQ(json_number(-42), "-42");
}

// ---------------------------------------------------------------------------
// values.md §4: %v of every kind.

TEST(GoFormatV, Scalars) {
  EXPECT_EQ(go_v(Value::null()), "<nil>");
  EXPECT_EQ(go_v(Value::boolean(true)), "true");
  EXPECT_EQ(go_v(Value::boolean(false)), "false");
  EXPECT_EQ(go_v(Value::string("a b\"c")), "a b\"c");
  EXPECT_EQ(go_v(Value::integer(-42)), "-42");
  EXPECT_EQ(go_v(Value::integer(10000000)), "10000000");
  EXPECT_EQ(go_v(Value::json_number("1.50")), "1.50");
}

TEST(GoFormatV, ArrayElementsJoinedBySpace) {
  Value v =
      Value::array({Value::number(1), Value::string("x"), Value::null(), Value::boolean(true)});
  EXPECT_EQ(go_v(v), "[1 x <nil> true]");
  EXPECT_EQ(go_v(Value::array()), "[]");
  EXPECT_EQ(go_v(Value::array({Value::number(1000000)})), "[1e+06]");
}

TEST(GoFormatV, ObjectIsMapWithSortedKeys) {
  Value v = make_object(
      {{"b", Value::array({Value::number(2), Value::number(3)})}, {"a", Value::number(1)}});
  EXPECT_EQ(go_v(v), "map[a:1 b:[2 3]]");
  EXPECT_EQ(go_v(Value::empty_object()), "map[]");
  EXPECT_EQ(go_v(make_object({{"k", Value::null()}})), "map[k:<nil>]");
}

TEST(GoFormatV, RecordListIsArrayOfMaps) {
  Value v = Value::record_list(
      {make_object({{"a", Value::number(1)}}), make_object({{"a", Value::number(2)}})});
  EXPECT_EQ(go_v(v), "[map[a:1] map[a:2]]");
  EXPECT_EQ(go_v(Value::record_list({})), "[]");
}

TEST(GoFormatV, TimeUsesGoTimeString) {
  EXPECT_EQ(go_v(Value::time(1700000000LL * 1000000000LL)), "2023-11-14 22:13:20 +0000 UTC");
  EXPECT_EQ(go_v(Value::array({Value::time(1700000000123LL * 1000000LL)})),
            "[2023-11-14 22:13:20.123 +0000 UTC]");
}

// ---------------------------------------------------------------------------
// values.md §1.3: time values.

TEST(GoFormatTime, Rfc3339NanoTrimsFraction) {
  EXPECT_EQ(format_rfc3339_nano(1700000000LL * 1000000000LL), "2023-11-14T22:13:20Z");
  EXPECT_EQ(format_rfc3339_nano(1700000000123LL * 1000000LL), "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(format_rfc3339_nano(1), "1970-01-01T00:00:00.000000001Z");
  EXPECT_EQ(format_rfc3339_nano(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_rfc3339_nano(1500000000), "1970-01-01T00:00:01.5Z");
}

TEST(GoFormatTime, BeforeEpoch) {
  EXPECT_EQ(format_rfc3339_nano(-1), "1969-12-31T23:59:59.999999999Z");
  EXPECT_EQ(format_rfc3339_nano(-86400LL * 1000000000LL), "1969-12-31T00:00:00Z");
  EXPECT_EQ(format_go_time_string(-1000000000LL), "1969-12-31 23:59:59 +0000 UTC");
}

TEST(GoFormatTime, LeapYearsAndExtremes) {
  // 2000-02-29T12:00:00Z
  EXPECT_EQ(format_rfc3339_nano(951825600LL * 1000000000LL), "2000-02-29T12:00:00Z");
  EXPECT_EQ(format_rfc3339_nano(std::numeric_limits<std::int64_t>::max()),
            "2262-04-11T23:47:16.854775807Z");
  EXPECT_EQ(format_rfc3339_nano(std::numeric_limits<std::int64_t>::min()),
            "1677-09-21T00:12:43.145224192Z");
}

TEST(GoFormatTime, GoTimeString) {
  EXPECT_EQ(format_go_time_string(1700000000LL * 1000000000LL), "2023-11-14 22:13:20 +0000 UTC");
  EXPECT_EQ(format_go_time_string(1700000000123456789LL),
            "2023-11-14 22:13:20.123456789 +0000 UTC");
}

// ---------------------------------------------------------------------------
// values.md §3: strconv.ParseFloat.

void expect_float(const char* s, double expected) {
  auto d = parse_go_float(s);
  ASSERT_TRUE(d.has_value()) << s;
  if (std::isnan(expected)) {
    EXPECT_TRUE(std::isnan(*d)) << s;
  } else {
    EXPECT_EQ(*d, expected) << s;
    EXPECT_EQ(std::signbit(*d), std::signbit(expected)) << s;
  }
}

void expect_not_float(const char* s) {
  EXPECT_FALSE(parse_go_float(s).has_value()) << s;
}

TEST(GoFormatParseFloat, DecimalForms) {
  expect_float("5", 5);
  expect_float("-2.5", -2.5);
  expect_float(".5", 0.5);
  expect_float("5.", 5);
  expect_float("1e3", 1000);
  expect_float("1E3", 1000);
  expect_float("+1.5e-3", 0.0015);
  expect_float("-0", -0.0);
  expect_float("0.1", 0.1);
  expect_float("00012", 12);
  expect_float("123456789012345678901234567890", 1.2345678901234568e29);
}

TEST(GoFormatParseFloat, UnderscoresOnlyBetweenDigits) {
  expect_float("1_000", 1000);
  expect_float("1_000.5", 1000.5);
  expect_float("1_0e1_0", 1e11);
  expect_not_float("_1000");
  expect_not_float("1000_");
  expect_not_float("1__000");
  expect_not_float("1_.5");
  expect_not_float("1._5");
  expect_not_float("1_e5");
}

TEST(GoFormatParseFloat, HexFloatsNeedPExponent) {
  expect_float("0x1p4", 16);
  expect_float("0X1P4", 16);
  expect_float("0x1.8p1", 3);
  expect_float("-0x1p-2", -0.25);
  expect_float("0x_1p4", 16);
  expect_float("0x1p-1074", 5e-324);
  expect_float("0x1.fffffffffffffp1023", 1.7976931348623157e308);
  expect_not_float("0x10");
  expect_not_float("0x");
  expect_not_float("0xp4");
  expect_not_float("0x1p");
}

TEST(GoFormatParseFloat, InfinityAndNaNInAnyCase) {
  const double inf = std::numeric_limits<double>::infinity();
  expect_float("inf", inf);
  expect_float("+inf", inf);
  expect_float("-inf", -inf);
  expect_float("Inf", inf);
  expect_float("INFINITY", inf);
  expect_float("-Infinity", -inf);
  expect_float("nan", std::nan(""));
  expect_float("NaN", std::nan(""));
  expect_float("NAN", std::nan(""));
  expect_not_float("+nan");
  expect_not_float("-nan");
  expect_not_float("infin");
  expect_not_float("infinityx");
  expect_not_float("in");
}

TEST(GoFormatParseFloat, WholeStringMustParse) {
  expect_not_float("");
  expect_not_float(" 5");
  expect_not_float("5 ");
  expect_not_float("1,000");
  expect_not_float("0b101");
  expect_not_float("0o17");
  expect_not_float("1e");
  expect_not_float("1e+");
  expect_not_float(".");
  expect_not_float("-");
  expect_not_float("+");
  expect_not_float("1.2.3");
  expect_not_float("abc");
  expect_not_float("5x");
}

TEST(GoFormatParseFloat, RangeErrors) {
  const double inf = std::numeric_limits<double>::infinity();
  // ParseFloat yields ±Inf together with a range error.
  expect_float("1e400", inf);
  expect_float("-1e400", -inf);
  expect_float("0x1p1024", inf);
  EXPECT_FALSE(parse_go_float_strict("1e400").has_value());
  EXPECT_FALSE(parse_go_float_strict("-1e400").has_value());
  EXPECT_FALSE(parse_go_float_strict("0x1p1024").has_value());
  // Underflow is silent.
  expect_float("1e-400", 0);
  expect_float("-1e-400", -0.0);
  EXPECT_EQ(parse_go_float_strict("1e-400"), 0.0);
  // Infinity literals are not range errors.
  EXPECT_TRUE(parse_go_float_strict("inf").has_value());
  EXPECT_EQ(parse_go_float_strict("2.5"), 2.5);
}

TEST(GoFormatParseBool, AcceptedSpellings) {
  for (const char* s : {"1", "t", "T", "true", "TRUE", "True"}) EXPECT_EQ(parse_go_bool(s), true);
  for (const char* s : {"0", "f", "F", "false", "FALSE", "False"}) {
    EXPECT_EQ(parse_go_bool(s), false);
  }
  for (const char* s : {"", "yes", "tRUE", " true", "2"}) {
    EXPECT_FALSE(parse_go_bool(s).has_value()) << s;
  }
}

// ---------------------------------------------------------------------------
// strconv.Quote (%q), as Go's error messages quote text.

TEST(GoFormatQuote, EscapesQuoteAndBackslash) {
  EXPECT_EQ(go_quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(go_quote(""), "\"\"");
}

TEST(GoFormatQuote, ControlCharacters) {
  EXPECT_EQ(go_quote(std::string("\a\b\f\n\r\t\v", 7)), "\"\\a\\b\\f\\n\\r\\t\\v\"");
  EXPECT_EQ(go_quote(std::string("\x00\x01\x1f\x7f", 4)), "\"\\x00\\x01\\x1f\\x7f\"");
}

TEST(GoFormatQuote, PrintableRunesStayAsTheyAre) {
  EXPECT_EQ(go_quote("caf\xc3\xa9 \xe6\x97\xa5\xf0\x9f\x98\x80"),
            "\"caf\xc3\xa9 \xe6\x97\xa5\xf0\x9f\x98\x80\"");
  // U+FFFD written out is a printable rune like any other.
  EXPECT_EQ(go_quote("\xef\xbf\xbd"), "\"\xef\xbf\xbd\"");
}

TEST(GoFormatQuote, OtherRunesAreEscaped) {
  EXPECT_EQ(go_quote("\xc2\x80"), "\"\\u0080\"");              // C1 control
  EXPECT_EQ(go_quote("\xc2\xa0"), "\"\\u00a0\"");              // no-break space
  EXPECT_EQ(go_quote("\xc2\xad"), "\"\\u00ad\"");              // soft hyphen (Cf)
  EXPECT_EQ(go_quote("\xe2\x80\xa8"), "\"\\u2028\"");          // line separator
  EXPECT_EQ(go_quote("\xee\x80\x80"), "\"\\ue000\"");          // private use
  EXPECT_EQ(go_quote("\xf3\xb0\x80\x80"), "\"\\U000f0000\"");  // private use, plane 15
  EXPECT_EQ(go_quote("\xcd\xb8"), "\"\\u0378\"");              // unassigned
}

TEST(GoFormatQuote, InvalidBytesAreShownOneByOne) {
  EXPECT_EQ(go_quote("\xff"), "\"\\xff\"");
  EXPECT_EQ(go_quote("a\xe6\x97"
                     "b"),
            "\"a\\xe6\\x97b\"");                               // truncated sequence
  EXPECT_EQ(go_quote("\xed\xa0\x80"), "\"\\xed\\xa0\\x80\"");  // surrogate
}

// ---------------------------------------------------------------------------
// values.md §7: durations.

constexpr std::int64_t kNs = 1;
constexpr std::int64_t kUs = 1000;
constexpr std::int64_t kMs = 1000 * kUs;
constexpr std::int64_t kS = 1000 * kMs;
constexpr std::int64_t kMin = 60 * kS;
constexpr std::int64_t kH = 60 * kMin;

TEST(GoFormatDurationParse, UnitsAndFractions) {
  EXPECT_EQ(parse_go_duration("300ms"), 300 * kMs);
  EXPECT_EQ(parse_go_duration("1.5h"), 90 * kMin);
  EXPECT_EQ(parse_go_duration("2h45m"), 2 * kH + 45 * kMin);
  EXPECT_EQ(parse_go_duration("-1s"), -kS);
  EXPECT_EQ(parse_go_duration("+5s"), 5 * kS);
  EXPECT_EQ(parse_go_duration("0"), 0);
  EXPECT_EQ(parse_go_duration("-0"), 0);
  EXPECT_EQ(parse_go_duration("100ns"), 100 * kNs);
  EXPECT_EQ(parse_go_duration("2us"), 2 * kUs);
  EXPECT_EQ(parse_go_duration("2\u00B5s"), 2 * kUs);  // micro sign
  EXPECT_EQ(parse_go_duration("2\u03BCs"), 2 * kUs);  // Greek mu
  EXPECT_EQ(parse_go_duration(".5s"), 500 * kMs);
  EXPECT_EQ(parse_go_duration("1.s"), kS);
  EXPECT_EQ(parse_go_duration("1h1m1s1ms1us1ns"), kH + kMin + kS + kMs + kUs + kNs);
  EXPECT_EQ(parse_go_duration("0s"), 0);
  EXPECT_EQ(parse_go_duration("1.0000000001s"), kS);
}

TEST(GoFormatDurationParse, Rejections) {
  for (const char* s : {"", "-", "+", "s", "5", "1", "5x", "1.5", ".s", "-.s", "1 s", " 1s", "1s ",
                        "1S", "1H", "1d", "1sec", "1..5s", "10"}) {
    EXPECT_FALSE(parse_go_duration(s).has_value()) << s;
  }
}

TEST(GoFormatDurationParse, Overflow) {
  EXPECT_EQ(parse_go_duration("9223372036854775807ns"), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(parse_go_duration("-9223372036854775808ns"), std::numeric_limits<std::int64_t>::min());
  EXPECT_FALSE(parse_go_duration("9223372036854775808ns").has_value());
  EXPECT_FALSE(parse_go_duration("2562048h").has_value());
  EXPECT_FALSE(parse_go_duration("99999999999999999999s").has_value());
  EXPECT_EQ(parse_go_duration("2562047h"), 2562047 * kH);
}

TEST(GoFormatDurationParse, OrMillisFallsBackToIntegerMilliseconds) {
  EXPECT_EQ(parse_duration_or_millis("10"), 10 * kMs);
  EXPECT_EQ(parse_duration_or_millis("-10"), -10 * kMs);
  EXPECT_EQ(parse_duration_or_millis("+7"), 7 * kMs);
  EXPECT_EQ(parse_duration_or_millis("5s"), 5 * kS);
  EXPECT_EQ(parse_duration_or_millis("0"), 0);
  EXPECT_FALSE(parse_duration_or_millis("1.5").has_value());
  EXPECT_FALSE(parse_duration_or_millis("1_000").has_value());
  EXPECT_FALSE(parse_duration_or_millis("abc").has_value());
  EXPECT_FALSE(parse_duration_or_millis("").has_value());
  EXPECT_FALSE(parse_duration_or_millis("-").has_value());
  EXPECT_FALSE(parse_duration_or_millis("9223372036854775808").has_value());
}

TEST(GoFormatDurationParse, InvalidMessage) {
  EXPECT_EQ(invalid_duration_message("abc"),
            "invalid duration format: abc (use formats like '5s', '10m', '1h')");
}

TEST(GoFormatDurationString, Examples) {
  EXPECT_EQ(format_go_duration(0), "0s");
  EXPECT_EQ(format_go_duration(500 * kMs), "500ms");
  EXPECT_EQ(format_go_duration(1500 * kUs), "1.5ms");
  EXPECT_EQ(format_go_duration(2 * kUs), "2\u00B5s");
  EXPECT_EQ(format_go_duration(100 * kNs), "100ns");
  EXPECT_EQ(format_go_duration(1500 * kMs), "1.5s");
  EXPECT_EQ(format_go_duration(90 * kS), "1m30s");
  EXPECT_EQ(format_go_duration(kH), "1h0m0s");
  EXPECT_EQ(format_go_duration(90 * kMin), "1h30m0s");
  EXPECT_EQ(format_go_duration(36 * kH), "36h0m0s");
  EXPECT_EQ(format_go_duration(60 * kS + 500 * kMs), "1m0.5s");
  EXPECT_EQ(format_go_duration(5 * kMin), "5m0s");
  EXPECT_EQ(format_go_duration(kMin), "1m0s");
}

TEST(GoFormatDurationString, NegativeAndExtremes) {
  EXPECT_EQ(format_go_duration(-kS), "-1s");
  EXPECT_EQ(format_go_duration(-1500 * kUs), "-1.5ms");
  EXPECT_EQ(format_go_duration(1), "1ns");
  EXPECT_EQ(format_go_duration(1001), "1.001\u00B5s");
  EXPECT_EQ(format_go_duration(kS + 1), "1.000000001s");
  EXPECT_EQ(format_go_duration(std::numeric_limits<std::int64_t>::max()),
            "2562047h47m16.854775807s");
  EXPECT_EQ(format_go_duration(std::numeric_limits<std::int64_t>::min()),
            "-2562047h47m16.854775808s");
}

TEST(GoFormatDurationString, RoundTripsThroughParse) {
  for (std::int64_t d :
       {std::int64_t{0}, 1500 * kUs, 2 * kUs, 90 * kS, 36 * kH, -kS, 60 * kS + 500 * kMs}) {
    EXPECT_EQ(parse_go_duration(format_go_duration(d)), d) << d;
  }
}

}  // namespace
}  // namespace thaiyyal
