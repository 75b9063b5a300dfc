// JSON text <-> Value: RFC 8259 parsing with Go encoding/json's error texts
// and string decoding, and Go-compatible output (values.md §6).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "engine/go/json.hpp"

namespace thaiyyal {
namespace {

// The message of the JsonParseError thrown for `text`, or "" when it parses.
std::string parse_error(std::string_view text, const JsonParseOptions& options = {}) {
  try {
    parse_json(text, options);
  } catch (const JsonParseError& e) {
    return e.what();
  }
  return "";
}

std::string decode_error(std::string_view text) {
  JsonParseOptions options;
  options.allow_trailing = true;
  return parse_error(text, options);
}

std::string write_error(const Value& v) {
  try {
    to_json(v);
  } catch (const JsonWriteError& e) {
    return e.what();
  }
  return "";
}

std::string roundtrip(std::string_view text) {
  return to_json(parse_json(text));
}

std::string json_string(std::string_view s, JsonStyle style = JsonStyle::Go) {
  std::string out;
  write_json_string(out, s, style);
  return out;
}

// ---------------------------------------------------------------------------
// Parsing values.

TEST(JsonParse, Scalars) {
  EXPECT_TRUE(parse_json("null").is_null());
  EXPECT_TRUE(parse_json("true").is_true());
  Value f = parse_json("false");
  ASSERT_TRUE(f.is_bool());
  EXPECT_FALSE(f.as_bool());
  Value s = parse_json(R"("hi")");
  ASSERT_TRUE(s.is_string());
  EXPECT_EQ(s.as_string(), "hi");
  EXPECT_EQ(parse_json("  \t\r\n 7 \n").as_number(), 7);
}

TEST(JsonParse, NumbersAreFloat64WithIntegralLiteralFlag) {
  Value i = parse_json("42");
  ASSERT_TRUE(i.is_number());
  EXPECT_EQ(i.as_number(), 42);
  EXPECT_TRUE(i.integral_literal());

  for (const char* text : {"5.0", "2.5", "1e2", "1E2", "-0.5", "1e-2"}) {
    Value v = parse_json(text);
    ASSERT_TRUE(v.is_number()) << text;
    EXPECT_FALSE(v.integral_literal()) << text;
  }
  EXPECT_EQ(parse_json("1e2").as_number(), 100);
  EXPECT_EQ(parse_json("-12.5e-1").as_number(), -1.25);
  EXPECT_EQ(parse_json("0.1").as_number(), 0.1);
  EXPECT_TRUE(parse_json("-7").integral_literal());
  EXPECT_EQ(parse_json("-7").as_number(), -7);
}

TEST(JsonParse, NumberPrecisionAndSign) {
  Value neg_zero = parse_json("-0");
  EXPECT_EQ(neg_zero.as_number(), 0);
  EXPECT_TRUE(std::signbit(neg_zero.as_number()));
  EXPECT_EQ(parse_json("9007199254740993").as_number(), 9007199254740992.0);
  EXPECT_EQ(parse_json("12345678901234567890").as_number(), 12345678901234567890.0);
  EXPECT_TRUE(parse_json("12345678901234567890").integral_literal());
  EXPECT_EQ(parse_json("1.7976931348623157e308").as_number(), 1.7976931348623157e308);
  EXPECT_EQ(parse_json("5e-324").as_number(), 5e-324);
}

TEST(JsonParse, UnderflowIsZeroOverflowIsAnError) {
  EXPECT_EQ(parse_json("1e-400").as_number(), 0);
  EXPECT_TRUE(std::signbit(parse_json("-1e-400").as_number()));
  EXPECT_EQ(parse_error("1e400"),
            "json: cannot unmarshal number 1e400 into Go value of type float64");
  EXPECT_EQ(parse_error("[1, -1e999]"),
            "json: cannot unmarshal number -1e999 into Go value of type float64");
  // Syntax errors anywhere in the text take precedence, as in Go.
  EXPECT_EQ(parse_error("[1e400, x]"), "invalid character 'x' looking for beginning of value");
}

TEST(JsonParse, OutOfRangeAsStringForParseNode) {
  JsonParseOptions options;
  options.out_of_range_as_string = true;
  Value v = parse_json("[1e400, 2]", options);
  ASSERT_TRUE(v.is_array());
  ASSERT_TRUE(v.as_array()[0].is_string());
  EXPECT_EQ(v.as_array()[0].as_string(), "1e400");
  EXPECT_EQ(v.as_array()[1].as_number(), 2);
}

TEST(JsonParse, NumbersAsJsonNumberKeepLiteralText) {
  JsonParseOptions options;
  options.numbers_as_json_number = true;
  Value v = parse_json(R"({"a":[1.50,-0,1e400,12345678901234567890]})", options);
  const Array& a = v.find("a")->as_array();
  ASSERT_EQ(a.size(), 4u);
  for (const Value& n : a) EXPECT_TRUE(n.is_json_number());
  EXPECT_EQ(a[0].as_string(), "1.50");
  EXPECT_EQ(to_json(v), R"({"a":[1.50,-0,1e400,12345678901234567890]})");
}

TEST(JsonParse, ArraysAndObjects) {
  Value v = parse_json(R"({"b": [1, "x", null, true, {}], "a": {"c": []}})");
  ASSERT_TRUE(v.is_object());
  const Object& obj = v.as_object();
  ASSERT_EQ(obj.size(), 2u);
  EXPECT_EQ(obj.entries()[0].first, "a");
  EXPECT_EQ(obj.entries()[1].first, "b");
  const Array& b = v.find("b")->as_array();
  ASSERT_EQ(b.size(), 5u);
  EXPECT_EQ(b[1].as_string(), "x");
  EXPECT_TRUE(b[2].is_null());
  EXPECT_TRUE(b[4].is_object());
  EXPECT_TRUE(v.find("a")->find("c")->is_array());
  EXPECT_TRUE(parse_json("[]").as_array().empty());
  EXPECT_TRUE(parse_json("{ }").as_object().empty());
}

TEST(JsonParse, ObjectKeysSortedBytewiseLastDuplicateWins) {
  Value v = parse_json(R"({"b":1,"a":2,"b":3,"B":4,"é":5})");
  EXPECT_EQ(to_json(v), R"({"B":4,"a":2,"b":3,"é":5})");
  EXPECT_EQ(to_json(parse_json(R"({"a":1,"a":2})")), R"({"a":2})");
  EXPECT_EQ(to_json(parse_json(R"({"a":1,"b":2,"a":3})")), R"({"a":3,"b":2})");
}

TEST(JsonParse, StringEscapes) {
  EXPECT_EQ(parse_json(R"("a\"b\\c\/d\b\f\n\r\t")").as_string(), "a\"b\\c/d\b\f\n\r\t");
  EXPECT_EQ(parse_json(R"("\u0041\u00e9\u20AC")").as_string(), "A\u00e9\u20ac");
  EXPECT_EQ(parse_json(R"("\u0000")").as_string(), std::string(1, '\0'));
}

TEST(JsonParse, SurrogatePairsAndLoneSurrogates) {
  EXPECT_EQ(parse_json(R"("\ud83d\ude00")").as_string(), "\U0001F600");
  EXPECT_EQ(parse_json(R"("\uD83D\uDE00")").as_string(), "\U0001F600");
  // A lone or mismatched surrogate becomes U+FFFD; the next escape stands alone.
  EXPECT_EQ(parse_json(R"("\ud83d")").as_string(), "\uFFFD");
  EXPECT_EQ(parse_json(R"("\ude00x")").as_string(), "\uFFFDx");
  EXPECT_EQ(parse_json(R"("\ud83d\u0041")").as_string(), "\uFFFDA");
  EXPECT_EQ(parse_json(R"("\ud83d\ud83d\ude00")").as_string(), "\uFFFD\U0001F600");
}

TEST(JsonParse, InvalidUtf8IsReplacedPerByte) {
  EXPECT_EQ(parse_json("\"a\xff"
                       "b\"")
                .as_string(),
            "a\uFFFDb");
  // Truncated sequence: each byte on its own.
  EXPECT_EQ(parse_json("\"\xe2\x82\"").as_string(), "\uFFFD\uFFFD");
  // UTF-8 encoded surrogate and overlong encodings are invalid.
  EXPECT_EQ(parse_json("\"\xed\xa0\x80\"").as_string(), "\uFFFD\uFFFD\uFFFD");
  EXPECT_EQ(parse_json("\"\xc0\xaf\"").as_string(), "\uFFFD\uFFFD");
  // Valid multi-byte text is kept as is.
  EXPECT_EQ(parse_json("\"h\xc3\xa9llo \xf0\x9f\x98\x80\"").as_string(), "h\u00e9llo \U0001F600");
  // Keys too.
  EXPECT_EQ(parse_json("{\"\xff\":1}").as_object().entries()[0].first, "\uFFFD");
}

// ---------------------------------------------------------------------------
// Syntax errors carry Go's scanner messages.

TEST(JsonParseError, LookingForBeginningOfValue) {
  EXPECT_EQ(parse_error("key: value"), "invalid character 'k' looking for beginning of value");
  EXPECT_EQ(parse_error("[1,]"), "invalid character ']' looking for beginning of value");
  EXPECT_EQ(parse_error("+1"), "invalid character '+' looking for beginning of value");
  EXPECT_EQ(parse_error(".5"), "invalid character '.' looking for beginning of value");
  EXPECT_EQ(parse_error("'a'"), "invalid character '\\'' looking for beginning of value");
  EXPECT_EQ(parse_error("NaN"), "invalid character 'N' looking for beginning of value");
}

TEST(JsonParseError, ObjectStructure) {
  EXPECT_EQ(parse_error("{a:1}"),
            "invalid character 'a' looking for beginning of object key string");
  EXPECT_EQ(parse_error(R"({"a":1,})"),
            "invalid character '}' looking for beginning of object key string");
  EXPECT_EQ(parse_error(R"({"a" 1})"), "invalid character '1' after object key");
  EXPECT_EQ(parse_error(R"({"a":1 "b":2})"), "invalid character '\"' after object key:value pair");
  EXPECT_EQ(parse_error("[1 2]"), "invalid character '2' after array element");
  EXPECT_EQ(parse_error("[1}"), "invalid character '}' after array element");
}

TEST(JsonParseError, TrailingContent) {
  EXPECT_EQ(parse_error("1 2"), "invalid character '2' after top-level value");
  EXPECT_EQ(parse_error("{} x"), "invalid character 'x' after top-level value");
  EXPECT_EQ(parse_error("01"), "invalid character '1' after top-level value");
  EXPECT_EQ(parse_error("truex"), "invalid character 'x' after top-level value");
}

TEST(JsonParseError, Numbers) {
  EXPECT_EQ(parse_error("-x"), "invalid character 'x' in numeric literal");
  EXPECT_EQ(parse_error("1.x"), "invalid character 'x' after decimal point in numeric literal");
  EXPECT_EQ(parse_error("1ex"), "invalid character 'x' in exponent of numeric literal");
  EXPECT_EQ(parse_error("1e+]"), "invalid character ']' in exponent of numeric literal");
  EXPECT_EQ(parse_error("[-]"), "invalid character ']' in numeric literal");
}

TEST(JsonParseError, LiteralsAndStrings) {
  EXPECT_EQ(parse_error("tru"), "invalid character ' ' in literal true (expecting 'e')");
  EXPECT_EQ(parse_error("trUe"), "invalid character 'U' in literal true (expecting 'u')");
  EXPECT_EQ(parse_error("fals"), "invalid character ' ' in literal false (expecting 'e')");
  EXPECT_EQ(parse_error("nul1"), "invalid character '1' in literal null (expecting 'l')");
  EXPECT_EQ(parse_error("\"a\nb\""), "invalid character '\\n' in string literal");
  EXPECT_EQ(parse_error("\"\t\""), "invalid character '\\t' in string literal");
  EXPECT_EQ(parse_error(std::string("\"\x01\"")), "invalid character '\\x01' in string literal");
  EXPECT_EQ(parse_error(R"("\x")"), "invalid character 'x' in string escape code");
  EXPECT_EQ(parse_error(R"("\u12g4")"),
            "invalid character 'g' in \\u hexadecimal character escape");
}

TEST(JsonParseError, EndOfInput) {
  EXPECT_EQ(parse_error(""), "unexpected end of JSON input");
  EXPECT_EQ(parse_error("   "), "unexpected end of JSON input");
  EXPECT_EQ(parse_error("["), "unexpected end of JSON input");
  EXPECT_EQ(parse_error("[1,"), "unexpected end of JSON input");
  EXPECT_EQ(parse_error(R"({"a")"), "unexpected end of JSON input");
  EXPECT_EQ(parse_error(R"({"a":)"), "unexpected end of JSON input");
  EXPECT_EQ(parse_error(R"("abc)"), "unexpected end of JSON input");
  // Where Go's scanner does not accept a space it names that space.
  EXPECT_EQ(parse_error("-"), "invalid character ' ' in numeric literal");
  EXPECT_EQ(parse_error("1."), "invalid character ' ' after decimal point in numeric literal");
  EXPECT_EQ(parse_error("1e"), "invalid character ' ' in exponent of numeric literal");
  EXPECT_EQ(parse_error(R"("\)"), "invalid character ' ' in string escape code");
  EXPECT_EQ(parse_error(R"("\u00)"), "invalid character ' ' in \\u hexadecimal character escape");
}

TEST(JsonParseError, NonAsciiOffendingByte) {
  EXPECT_EQ(parse_error("\xc3\xa9"), "invalid character '\u00c3' looking for beginning of value");
  EXPECT_EQ(parse_error("\xa0"), "invalid character '\\u00a0' looking for beginning of value");
  EXPECT_EQ(parse_error("\x85"), "invalid character '\\u0085' looking for beginning of value");
}

TEST(JsonParseError, DepthLimit) {
  JsonParseOptions options;
  options.max_depth = 3;
  EXPECT_NO_THROW(parse_json("[[[1]]]", options));
  EXPECT_NO_THROW(parse_json(R"({"a":{"b":[]}})", options));
  EXPECT_EQ(parse_error("[[[[1]]]]", options), "invalid character '[' exceeded max depth");
  EXPECT_EQ(parse_error(R"({"a":[{"b":{}}]})", options),
            "invalid character '{' exceeded max depth");

  // The default limit refuses deep nesting instead of overflowing the stack.
  std::string deep(100000, '[');
  EXPECT_EQ(parse_error(deep), "invalid character '[' exceeded max depth");
  std::string ok = std::string(512, '[') + std::string(512, ']');
  EXPECT_NO_THROW(parse_json(ok));
  std::string too_deep = std::string(513, '[') + std::string(513, ']');
  EXPECT_EQ(parse_error(too_deep), "invalid character '[' exceeded max depth");
}

TEST(JsonParseError, ReportsOffset) {
  try {
    parse_json("[1, x]");
    FAIL();
  } catch (const JsonParseError& e) {
    EXPECT_EQ(e.offset(), 4u);
  }
}

// ---------------------------------------------------------------------------
// Decoder mode (allow_trailing): the `parse` node decodes the first value.

TEST(JsonDecode, FirstValueOnly) {
  JsonParseOptions options;
  options.allow_trailing = true;
  std::size_t consumed = 0;
  Value v = parse_json_prefix(R"({"a":1} trailing {)", consumed, options);
  EXPECT_EQ(to_json(v), R"({"a":1})");
  EXPECT_EQ(consumed, 7u);

  v = parse_json_prefix("  123abc", consumed, options);
  EXPECT_EQ(v.as_number(), 123);
  EXPECT_EQ(consumed, 5u);

  v = parse_json_prefix("[1][2]", consumed, options);
  EXPECT_EQ(to_json(v), "[1]");
  EXPECT_EQ(consumed, 3u);

  EXPECT_EQ(parse_json("1.5.3", options).as_number(), 1.5);
  EXPECT_EQ(parse_json("01", options).as_number(), 0);
  EXPECT_TRUE(parse_json("truex", options).is_true());
}

TEST(JsonDecode, ErrorsUseDecoderTexts) {
  EXPECT_EQ(decode_error(""), "EOF");
  EXPECT_EQ(decode_error(" \n "), "EOF");
  EXPECT_EQ(decode_error("["), "unexpected EOF");
  EXPECT_EQ(decode_error(R"({"a":)"), "unexpected EOF");
  EXPECT_EQ(decode_error("-"), "unexpected EOF");
  EXPECT_EQ(decode_error("tr"), "unexpected EOF");
  EXPECT_EQ(decode_error("key: value"), "invalid character 'k' looking for beginning of value");
  EXPECT_EQ(decode_error("[1,]"), "invalid character ']' looking for beginning of value");
}

// ---------------------------------------------------------------------------
// Writing (values.md §6).

TEST(JsonWrite, Scalars) {
  EXPECT_EQ(to_json(Value::null()), "null");
  EXPECT_EQ(to_json(Value::boolean(true)), "true");
  EXPECT_EQ(to_json(Value::boolean(false)), "false");
  EXPECT_EQ(to_json(Value::integer(-9223372036854775807LL - 1)), "-9223372036854775808");
  EXPECT_EQ(to_json(Value::integer(0)), "0");
  EXPECT_EQ(to_json(Value::number(2.5)), "2.5");
  EXPECT_EQ(to_json(Value::number(-0.0)), "-0");
  EXPECT_EQ(to_json(Value::number(1e21)), "1e+21");
  EXPECT_EQ(to_json(Value::number(1.5e-7)), "1.5e-7");
  EXPECT_EQ(to_json(Value::number(1e20)), "100000000000000000000");
  EXPECT_EQ(to_json(Value::json_number("1.50")), "1.50");
  EXPECT_EQ(to_json(Value::json_number("12345678901234567890")), "12345678901234567890");
}

TEST(JsonWrite, TimeIsRfc3339String) {
  EXPECT_EQ(to_json(Value::time(1700000000LL * 1000000000LL)), R"("2023-11-14T22:13:20Z")");
  EXPECT_EQ(to_json(Value::time(1700000000123LL * 1000000LL)), R"("2023-11-14T22:13:20.123Z")");
}

TEST(JsonWrite, ContainersAndRecordLists) {
  Value v = make_object({{"z", Value::array({Value::number(1), Value::string("x"), Value::null()})},
                         {"a", Value::empty_object()},
                         {"m", Value::array()}});
  EXPECT_EQ(to_json(v), R"({"a":{},"m":[],"z":[1,"x",null]})");
  Value records = Value::record_list(
      {make_object({{"age", Value::number(30)}}), make_object({{"age", Value::number(25)}})});
  EXPECT_EQ(to_json(records), R"([{"age":30},{"age":25}])");
  EXPECT_EQ(to_json(Value::record_list({})), "[]");
}

TEST(JsonWrite, NonFiniteNumbersFail) {
  EXPECT_EQ(write_error(Value::number(std::nan(""))), "json: unsupported value: NaN");
  EXPECT_EQ(write_error(Value::number(std::numeric_limits<double>::infinity())),
            "json: unsupported value: +Inf");
  EXPECT_EQ(write_error(Value::array({Value::number(-std::numeric_limits<double>::infinity())})),
            "json: unsupported value: -Inf");
  EXPECT_THROW(to_json_pretty(make_object({{"x", Value::number(std::nan(""))}})), JsonWriteError);
}

TEST(JsonWriteString, ShortEscapes) {
  EXPECT_EQ(json_string("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(json_string("\b\f\n\r\t"), R"("\b\f\n\r\t")");
  EXPECT_EQ(json_string("/"), R"("/")");
}

TEST(JsonWriteString, OtherControlBytesUseLowerCaseHex) {
  EXPECT_EQ(json_string(std::string("\x00\x01\x1f\x0b", 4)), R"("\u0000\u0001\u001f\u000b")");
  EXPECT_EQ(json_string("\x7f"), "\"\x7f\"");
}

TEST(JsonWriteString, HtmlCharactersEscapedInGoStyleOnly) {
  EXPECT_EQ(json_string("<a href='x'>&</a>"), R"("\u003ca href='x'\u003e\u0026\u003c/a\u003e")");
  EXPECT_EQ(json_string("<a>&", JsonStyle::Plain), R"("<a>&")");
  EXPECT_EQ(to_json(Value::string("<>"), JsonStyle::Plain), R"("<>")");
  EXPECT_EQ(to_json(make_object({{"<k>", Value::string("&")}})), R"({"\u003ck\u003e":"\u0026"})");
}

TEST(JsonWriteString, LineSeparatorsEscapedInBothStyles) {
  EXPECT_EQ(json_string("a\u2028b\u2029c"), R"("a\u2028b\u2029c")");
  EXPECT_EQ(json_string("\u2028", JsonStyle::Plain), R"("\u2028")");
}

TEST(JsonWriteString, NonAsciiIsRawInvalidUtf8IsReplaced) {
  EXPECT_EQ(json_string("h\u00e9llo \u20ac \U0001F600"), "\"h\u00e9llo \u20ac \U0001F600\"");
  EXPECT_EQ(json_string("a\xff"
                        "b"),
            R"("a\ufffdb")");
  EXPECT_EQ(json_string("\xe2\x82"), R"("\ufffd\ufffd")");
  EXPECT_EQ(json_string("\xed\xa0\x80"), R"("\ufffd\ufffd\ufffd")");
  EXPECT_EQ(json_string("\xf4\x90\x80\x80"), R"("\ufffd\ufffd\ufffd\ufffd")");
  EXPECT_EQ(json_string("\xff", JsonStyle::Plain), R"("\ufffd")");
}

TEST(JsonWrite, AppendsToExistingBuffer) {
  std::string out = "x=";
  write_json(out, parse_json("[1,2]"));
  EXPECT_EQ(out, "x=[1,2]");
}

TEST(JsonWrite, FailedWriteLeavesBufferUnchanged) {
  std::string out = "prefix";
  Value v = Value::array({Value::string(std::string(1000, 'x')), Value::number(std::nan(""))});
  EXPECT_THROW(write_json(out, v), JsonWriteError);
  EXPECT_EQ(out, "prefix");
}

TEST(JsonWrite, ManySmallAppendsToOneBuffer) {
  std::string out;
  std::string expected;
  for (int i = 0; i < 10000; ++i) {
    write_json(out, Value::array({Value::integer(i)}));
    write_json_string(out, "<s>");
    expected += "[" + std::to_string(i) + "]\"\\u003cs\\u003e\"";
  }
  EXPECT_EQ(out, expected);
}

TEST(JsonWritePretty, GoMarshalIndentTwoSpaces) {
  Value v = parse_json(R"({"b":[1,{"c":null}],"a":"x","e":{},"f":[]})");
  EXPECT_EQ(to_json_pretty(v),
            "{\n"
            "  \"a\": \"x\",\n"
            "  \"b\": [\n"
            "    1,\n"
            "    {\n"
            "      \"c\": null\n"
            "    }\n"
            "  ],\n"
            "  \"e\": {},\n"
            "  \"f\": []\n"
            "}");
  EXPECT_EQ(to_json_pretty(Value::array()), "[]");
  EXPECT_EQ(to_json_pretty(Value::empty_object()), "{}");
  EXPECT_EQ(to_json_pretty(Value::number(1e21)), "1e+21");
  EXPECT_EQ(to_json_pretty(Value::string("<")), R"("\u003c")");
  EXPECT_EQ(to_json_pretty(Value::record_list({make_object({{"a", Value::number(1)}})})),
            "[\n  {\n    \"a\": 1\n  }\n]");
}

// ---------------------------------------------------------------------------
// Round trips.

TEST(JsonRoundTrip, CompactCanonicalForm) {
  EXPECT_EQ(roundtrip(R"( { "b" : [ 1 , 2.50 , -0 , 1E3 ] , "a" : "\u00e9\n" } )"),
            "{\"a\":\"\u00e9\\n\",\"b\":[1,2.5,-0,1000]}");
  EXPECT_EQ(roundtrip("[1e21,1e-7,0.000001,123456789012345678]"),
            "[1e+21,1e-7,0.000001,123456789012345680]");
  EXPECT_EQ(roundtrip(R"("\u003c\u2028\ud83d\ude00")"), "\"\\u003c\\u2028\U0001F600\"");
  EXPECT_EQ(roundtrip("[[],{},[[]],{\"\":{}}]"), "[[],{},[[]],{\"\":{}}]");
}

TEST(JsonRoundTrip, ParseOfWrittenTextIsDeepEqual) {
  Value v = make_object({{"s", Value::string("tab\t<&>\u2028 \U0001F600")},
                         {"n", Value::array({Value::number(0.1), Value::number(-1e-300),
                                             Value::number(1.7976931348623157e308)})},
                         {"o", make_object({{"k", Value::boolean(false)}})}});
  Value back = parse_json(to_json(v));
  EXPECT_TRUE(deep_equal(v, back));
  EXPECT_TRUE(deep_equal(v, parse_json(to_json_pretty(v))));
  EXPECT_TRUE(deep_equal(v, parse_json(to_json(v, JsonStyle::Plain))));
}

TEST(JsonRoundTrip, ShortestDigitsSurviveManyDoubles) {
  double x = 0.1;
  for (int i = 0; i < 2000; ++i) {
    x = x * 1.37 + 1e-3 / (i + 1);
    if (x > 1e300) x = 1e-300 * (i + 1);
    std::string text = to_json(Value::number(x));
    EXPECT_EQ(parse_json(text).as_number(), x) << text;
  }
}

}  // namespace
}  // namespace thaiyyal
