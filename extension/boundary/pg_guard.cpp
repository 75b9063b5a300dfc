// Out-of-line parts of the boundary guards (see pg_guard.hpp).
#include <cstddef>
#include <cstring>
#include <string_view>

#include "engine/go/unicode.hpp"

#include "extension/boundary/pg_guard.hpp"

namespace thaiyyal::pg::detail {

MemoryContext error_copy_context = nullptr;

namespace {

// Appends the safe characters of `text` to dst[*used..]; returns false when
// it ran out of room (leaving space for the "..." marker).
bool append_safe(char* dst, std::size_t limit, std::size_t* used, std::string_view text,
                 bool utf8) noexcept {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t n =
        utf8 ? go::unicode::sequence_length(s + i, text.size() - i) : (s[i] < 0x80 ? 1 : 0);
    const bool valid = n != 0 && s[i] != 0;
    const std::size_t out = valid ? n : 1;
    if (*used + out > limit) return false;
    if (valid) {
      std::memcpy(dst + *used, s + i, n);
    } else {
      dst[*used] = '?';
      n = 1;
    }
    *used += out;
    i += n;
  }
  return true;
}

}  // namespace

void copy_message(char* dst, std::size_t dst_size, std::string_view prefix,
                  std::string_view text) noexcept {
  static constexpr char kEllipsis[] = "...";
  const bool utf8 = GetDatabaseEncoding() == PG_UTF8;
  const std::size_t limit = dst_size - sizeof kEllipsis;  // room for "..." and NUL
  std::size_t used = 0;
  if (!append_safe(dst, limit, &used, prefix, utf8) ||
      !append_safe(dst, limit, &used, text, utf8)) {
    std::memcpy(dst + used, kEllipsis, sizeof kEllipsis - 1);
    used += sizeof kEllipsis - 1;
  }
  dst[used] = '\0';
}

void fill_report(ErrorReport& report, int sqlstate, std::string_view prefix,
                 std::string_view message, std::string_view detail,
                 std::string_view hint) noexcept {
  report.sqlstate = sqlstate;
  copy_message(report.message, sizeof report.message, prefix, message);
  copy_message(report.detail, sizeof report.detail, {}, detail);
  copy_message(report.hint, sizeof report.hint, {}, hint);
}

void raise_report(const ErrorReport& report) {
  if (report.pg_error != nullptr) ReThrowError(report.pg_error);
  if (report.pg_error_lost) {
    ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory"),
                    errdetail_internal("A PostgreSQL error raised inside thaiyyal could not be "
                                       "copied for re-raising.")));
  }
  ereport(ERROR, (errcode(report.sqlstate), errmsg_internal("%s", report.message),
                  report.detail[0] != '\0' ? errdetail_internal("%s", report.detail) : 0,
                  report.hint[0] != '\0' ? errhint("%s", report.hint) : 0));
  pg_unreachable();
}

// Runs right after pg_call's PG_END_TRY, with the caught error still on
// PostgreSQL's error stack.
ErrorData* take_error(MemoryContext caller_context) noexcept {
  ErrorData* volatile copy = nullptr;
  MemoryContextSwitchTo(error_copy_context != nullptr ? error_copy_context : caller_context);
  // clang-format off
  PG_TRY();
  {
    copy = CopyErrorData();
  }
  PG_CATCH();
  {
    copy = nullptr;  // out of memory while copying: report that instead
  }
  PG_END_TRY();
  // clang-format on
  FlushErrorState();
  MemoryContextSwitchTo(caller_context);
  return copy;
}

}  // namespace thaiyyal::pg::detail
