// spec/language.md §6.5: date functions (UTC). `time` values render as
// RFC 3339 strings in JSON.
#include "engine/tests/expr_test_env.hpp"

namespace thaiyyal::expr::testing {
namespace {

using ExprDates = ExprTest;

TEST_F(ExprDates, NowIsTheRunStartTime) {
  EXPECT_EQ(V("now()"), R"("2023-11-14T22:13:20Z")");
  EXPECT_EQ(V("toEpoch(now())"), "1700000000");
  EXPECT_EQ(V("now() == now()"), "true");
  env.run_start = 1700000000123456789LL;
  EXPECT_EQ(V("now()"), R"("2023-11-14T22:13:20.123456789Z")");
  EXPECT_EQ(V("toEpochMillis(now())"), "1700000000123");
}

TEST_F(ExprDates, ParseDateAcceptsTheReferenceLayouts) {
  EXPECT_EQ(V("parseDate('2024-05-01T10:20:30Z')"), R"("2024-05-01T10:20:30Z")");
  EXPECT_EQ(V("parseDate('2024-05-01T10:20:30.5Z')"), R"("2024-05-01T10:20:30.5Z")");
  EXPECT_EQ(V("parseDate('2024-05-01T10:20:30.1234567891Z')"),
            R"("2024-05-01T10:20:30.123456789Z")");
  EXPECT_EQ(V("parseDate('2024-05-01T10:20:30+02:00')"), R"("2024-05-01T08:20:30Z")");
  EXPECT_EQ(V("parseDate('2024-05-01T00:20:30-01:30')"), R"("2024-05-01T01:50:30Z")");
  EXPECT_EQ(V("parseDate('Mon, 02 Jan 2006 15:04:05 MST')"),
            R"("2006-01-02T15:04:05Z")");  // RFC 1123
  EXPECT_EQ(V("parseDate('Tue, 02 Jan 2024 15:04:05 UTC')"), R"("2024-01-02T15:04:05Z")");
  EXPECT_EQ(V("parseDate('02 Jan 06 15:04 MST')"), R"("2006-01-02T15:04:00Z")");  // RFC 822
  EXPECT_EQ(V("parseDate('02 jan 99 15:04 GMT')"), R"("1999-01-02T15:04:00Z")");
  EXPECT_EQ(V("parseDate('2024-05-01')"), R"("2024-05-01T00:00:00Z")");
  EXPECT_EQ(V("parseDate('2024-05-01 10:20:30')"), R"("2024-05-01T10:20:30Z")");
  EXPECT_EQ(V("parseDate('2024-05-01T10:20:30')"), R"("2024-05-01T10:20:30Z")");
  EXPECT_EQ(V("parseDate('2024-05-01T9:20:30Z')"),
            R"("2024-05-01T09:20:30Z")");  // Go: 1-2 digit hour
  EXPECT_EQ(V("parseDate('2024-02-29')"), R"("2024-02-29T00:00:00Z")");
}

TEST_F(ExprDates, ParseDateAcceptsTimesAndUnixSeconds) {
  EXPECT_EQ(V("parseDate(1700000000)"), R"("2023-11-14T22:13:20Z")");
  EXPECT_EQ(V("parseDate(1700000000.9)"), R"("2023-11-14T22:13:20Z")");  // fraction truncated
  EXPECT_EQ(V("parseDate(-1)"), R"("1969-12-31T23:59:59Z")");
  EXPECT_EQ(V("parseDate(now())"), R"("2023-11-14T22:13:20Z")");
  env.context["t"] = Value::time(1700000000LL * 1000000000LL);
  EXPECT_EQ(V("year(context.t)"), "2023");
}

TEST_F(ExprDates, UnparseableDatesFail) {
  EXPECT_EQ(V("parseDate('2024-13-01')"), "error: unable to parse date/time: 2024-13-01");
  EXPECT_EQ(V("parseDate('2023-02-29')"), "error: unable to parse date/time: 2023-02-29");
  EXPECT_EQ(V("parseDate('2024-5-1')"), "error: unable to parse date/time: 2024-5-1");
  EXPECT_EQ(V("parseDate('05/01/2024')"), "error: unable to parse date/time: 05/01/2024");
  EXPECT_EQ(V("parseDate('2024-05-01 ')"), "error: unable to parse date/time: 2024-05-01 ");
  EXPECT_EQ(V("parseDate('2024-05-01T25:00:00Z')"),
            "error: unable to parse date/time: 2024-05-01T25:00:00Z");
  EXPECT_EQ(V("parseDate('1700000000')"), "error: unable to parse date/time: 1700000000");
  EXPECT_EQ(V("parseDate(true)"), "error: unable to parse date/time: true");
  EXPECT_EQ(V("parseDate(null)"), "error: unable to parse date/time: null");
  EXPECT_EQ(V("year(input.d)", "{}"),
            "error: year() argument evaluation failed: field not found: d");
}

TEST_F(ExprDates, EpochConversions) {
  EXPECT_EQ(V("toEpoch('2024-01-01')"), "1704067200");
  EXPECT_EQ(V("toEpochMillis('2024-01-01T00:00:00.1239Z')"), "1704067200123");
  EXPECT_EQ(V("toEpoch(1.5)"), "1");
  EXPECT_EQ(V("fromEpoch(1700000000)"), R"("2023-11-14T22:13:20Z")");
  EXPECT_EQ(V("fromEpoch('1700000000')"), R"("2023-11-14T22:13:20Z")");
  EXPECT_EQ(V("fromEpochMillis(1700000000123)"), R"("2023-11-14T22:13:20.123Z")");
  EXPECT_EQ(V("fromEpochMillis(-1)"), R"("1969-12-31T23:59:59.999Z")");
  EXPECT_EQ(V("fromEpoch('x')"), "error: fromEpoch() requires numeric argument");
  EXPECT_EQ(V("fromEpochMillis(null)"), "error: fromEpochMillis() requires numeric argument");
  EXPECT_EQ(V("fromEpoch(1e15)"), "error: date/time out of range");
}

TEST_F(ExprDates, DateDiffAndDateAdd) {
  EXPECT_EQ(V("dateDiff('2024-01-01T00:00:01.5Z', '2024-01-01')"), "1.5");
  EXPECT_EQ(V("dateDiff('2024-01-01', '2024-01-02')"), "-86400");
  EXPECT_EQ(V("dateDiff(now(), 0)"), "1700000000");
  EXPECT_EQ(V("dateDiff('x', 1)"),
            "error: dateDiff() first argument: unable to parse date/time: x");
  EXPECT_EQ(V("dateDiff(1, 'y')"),
            "error: dateDiff() second argument: unable to parse date/time: y");
  EXPECT_EQ(V("dateAdd('2024-01-01', 86400)"), R"("2024-01-02T00:00:00Z")");
  EXPECT_EQ(V("dateAdd('2024-01-01', 1.9)"), R"("2024-01-01T00:00:01Z")");  // whole seconds
  EXPECT_EQ(V("dateAdd('2024-03-01', -86400)"), R"("2024-02-29T00:00:00Z")");
  EXPECT_EQ(V("dateAdd('2024-01-01', 'x')"), "error: dateAdd() second argument must be numeric");
  EXPECT_EQ(V("dateAdd('bad', 1)"),
            "error: dateAdd() first argument: unable to parse date/time: bad");
}

TEST_F(ExprDates, CalendarFieldsInUtc) {
  const char* t = "'2024-05-06T07:08:09Z'";
  EXPECT_EQ(V(std::string("[year(") + t + "), month(" + t + "), day(" + t + "), hour(" + t +
              "), minute(" + t + ")]"),
            "[2024,5,6,7,8]");
  EXPECT_EQ(V("[day('2024-05-06T01:30:00+02:00'), hour('2024-05-06T01:30:00+02:00')]"), "[5,23]");
  EXPECT_EQ(V("hour(1700000000)"), "22");
  EXPECT_EQ(V("year('0001-01-01')"), "1");  // beyond the time value range, still a date
  EXPECT_EQ(V("parseDate('0001-01-01')"), "error: date/time out of range");
  EXPECT_EQ(V("month('1969-12-31T23:59:59Z')"), "12");
}

TEST_F(ExprDates, TimesCompareAndConcatenate) {
  EXPECT_EQ(V("parseDate('2024-01-01') == parseDate('2024-01-01T00:00:00Z')"), "true");
  EXPECT_EQ(V("parseDate('2024-01-01') == '2024-01-01'"), "false");
  EXPECT_EQ(V("dateAdd(now(), 1) > now()"), "true");
  EXPECT_EQ(V("'at ' + parseDate('2024-01-01')"), R"("at 2024-01-01T00:00:00Z")");
  EXPECT_EQ(B("year(input) >= 2024", R"("2024-05-01")"), "true");
  EXPECT_EQ(V("sort([parseDate('2024-01-02'), parseDate('2024-01-01')])"),
            R"(["2024-01-01T00:00:00Z","2024-01-02T00:00:00Z"])");
}

}  // namespace
}  // namespace thaiyyal::expr::testing
