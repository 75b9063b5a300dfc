// The C++ / PostgreSQL boundary: the two guards every crossing goes through.
//
// PostgreSQL reports errors with ereport(ERROR), which siglongjmp()s to the
// innermost PG_TRY (or to the executor's top-level handler). C++ reports
// errors with exceptions, which unwind frames and run destructors. Neither
// mechanism may cross frames of the other kind:
//
//  * a longjmp across C++ frames skips their destructors (leaks, and
//    undefined behaviour by the C++ standard), and
//  * a C++ exception across PostgreSQL's C frames has no unwind tables to
//    follow and never reaches PG_CATCH: the process aborts.
//
// Two guards keep the worlds apart (the design follows pg_duckdb's
// InvokeCPPFunc / __CPPFunctionGuard__ and PostgresFunctionGuard):
//
// 1. C++ -> PostgreSQL direction: invoke_cpp(body).
//    Every SQL-callable entry point (PG_FUNCTION_INFO_V1 functions) is a
//    thin C-linkage function that calls invoke_cpp with the real C++ body.
//    invoke_cpp catches *every* C++ exception, copies what must be reported
//    (SQLSTATE, message, detail, hint) into fixed-size plain buffers on its
//    own stack (no allocation, nothing that can fail), leaves the catch
//    block so that every C++ frame and the exception object are gone, and
//    only then calls ereport(ERROR) -- or ReThrowError() for an error that
//    originally came from PostgreSQL, which keeps its SQLSTATE, message,
//    detail, hint and context (e.g. 57014 "canceling statement due to
//    statement timeout").
//
// 2. PostgreSQL -> C++ direction: pg_call(fn).
//    C++ code that needs a PostgreSQL function that may ereport(ERROR)
//    (palloc, detoasting, numeric_in, CHECK_FOR_INTERRUPTS, WaitLatch, ...)
//    calls it inside a noexcept lambda passed to pg_call. pg_call runs it
//    under PG_TRY; PG_CATCH only notes the failure. After PG_END_TRY
//    (PostgreSQL's exception stack restored, the error still on its error
//    stack) pg_call copies the ErrorData (CopyErrorData) into the memory
//    context of the enclosing invoke_cpp's caller, clears PostgreSQL's error
//    state (FlushErrorState) and throws PgError carrying the copy. The
//    exception unwinds C++ frames normally (engine frames included) until
//    invoke_cpp re-raises it with ReThrowError.
//
//    Rules for pg_call bodies (enforced where the compiler can):
//      - the lambda is noexcept (static_assert): a C++ exception must never
//        be thrown between PG_TRY and PG_END_TRY;
//      - it holds no C++ objects with destructors (a longjmp out of it would
//        skip them): call C functions on plain data only;
//      - it returns void or a trivially copyable value (static_assert);
//      - it never `return`s out of PG_TRY itself (pg_call assigns the
//        result to a local and returns after PG_END_TRY).
//
// PgError deliberately does not derive from std::exception: engine code that
// catches std::exception to turn failures into node errors must not swallow
// a query cancel or a PostgreSQL ERROR. (Code that uses catch (...) without
// rethrowing would still swallow it; PgHost therefore remembers the error
// and raises it again on every later call, see pg_host.hpp.)
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "extension/boundary/pg_includes.hpp"

namespace thaiyyal::pg {

// A PostgreSQL ERROR in flight through C++ frames. The ErrorData lives in the
// memory context that was current when the outermost invoke_cpp started, so
// it survives the per-call memory context being deleted during unwinding.
// A null ErrorData means the error could not even be copied (out of memory).
class PgError {
 public:
  explicit PgError(ErrorData* edata) noexcept : edata_(edata) {}
  ErrorData* edata() const noexcept { return edata_; }
  int sqlerrcode() const noexcept { return edata_ != nullptr ? edata_->sqlerrcode : 0; }
  const char* message() const noexcept {
    return edata_ != nullptr && edata_->message != nullptr ? edata_->message : "out of memory";
  }

 private:
  ErrorData* edata_;
};

// An error raised by the extension's own C++ code, with the SQLSTATE to
// report (MAKE_SQLSTATE value) and optional DETAIL and HINT.
class SqlError : public std::runtime_error {
 public:
  SqlError(int sqlstate, std::string message, std::string detail = {}, std::string hint = {})
      : std::runtime_error(std::move(message)),
        sqlstate_(sqlstate),
        detail_(std::move(detail)),
        hint_(std::move(hint)) {}
  int sqlstate() const noexcept { return sqlstate_; }
  const std::string& detail() const noexcept { return detail_; }
  const std::string& hint() const noexcept { return hint_; }

 private:
  int sqlstate_;
  std::string detail_;
  std::string hint_;
};

namespace detail {

// What invoke_cpp reports once the C++ frames are gone. Trivially
// destructible on purpose: it lives in the frame that ereport() leaves by
// longjmp.
struct ErrorReport {
  static constexpr std::size_t kMessageSize = 8192;
  static constexpr std::size_t kDetailSize = 4096;
  static constexpr std::size_t kHintSize = 1024;

  ErrorData* pg_error = nullptr;  // re-raised with ReThrowError when set
  bool pg_error_lost = false;     // a PgError whose ErrorData could not be copied
  int sqlstate = 0;
  char message[kMessageSize];
  char detail[kDetailSize];
  char hint[kHintSize];
};
static_assert(std::is_trivially_destructible_v<ErrorReport>);

// Copies `prefix` + `text` into `dst` (NUL-terminated, truncated at a
// character boundary with a "..." marker), keeping only characters the
// server encoding can carry safely in an error message (valid UTF-8 in a
// UTF8 database, ASCII otherwise; anything else becomes '?'). Never
// allocates or fails.
void copy_message(char* dst, std::size_t dst_size, std::string_view prefix,
                  std::string_view text) noexcept;

// Fills the report from plain character data (message = prefix + text).
// Never allocates or fails, so it is safe inside a catch block.
void fill_report(ErrorReport& report, int sqlstate, std::string_view prefix,
                 std::string_view message, std::string_view detail = {},
                 std::string_view hint = {}) noexcept;

// Raises the report as a PostgreSQL ERROR. Must be called with no C++
// frames between it and the PostgreSQL caller of the entry point.
[[noreturn]] void raise_report(const ErrorReport& report);

// The memory context PgError copies go to (the context current when the
// outermost invoke_cpp began), or null outside any invoke_cpp.
extern MemoryContext error_copy_context;

// In PG_CATCH: copy the current error out of ErrorContext and clear
// PostgreSQL's error state. Returns null when even the copy failed.
ErrorData* take_error(MemoryContext caller_context) noexcept;

}  // namespace detail

// PostgreSQL -> C++: runs `fn` (a noexcept lambda calling PostgreSQL C
// functions) and turns an ERROR raised inside it into a thrown PgError.
//
// GCC's -Wclobbered fires for `result` and `failed` with some bodies; it is
// a false positive: `result` is read only when no longjmp happened, and
// `failed` is written only after one.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wclobbered"
template <typename Fn>
auto pg_call(Fn&& fn) -> std::invoke_result_t<Fn&> {
  using R = std::invoke_result_t<Fn&>;
  static_assert(std::is_nothrow_invocable_v<Fn&>,
                "pg_call bodies must be noexcept: no C++ exception may cross PG_TRY");
  static_assert(std::is_void_v<R> || std::is_trivially_copyable_v<R>,
                "pg_call bodies return void or a plain C value");

  MemoryContext caller_context = CurrentMemoryContext;
  bool failed = false;
  // clang-format off
  if constexpr (std::is_void_v<R>) {
    PG_TRY();
    {
      fn();
    }
    PG_CATCH();
    {
      failed = true;  // the error stays on PostgreSQL's error stack for take_error
    }
    PG_END_TRY();
    if (failed) throw PgError(detail::take_error(caller_context));
  } else {
    R result{};
    PG_TRY();
    {
      result = fn();
    }
    PG_CATCH();
    {
      failed = true;
    }
    PG_END_TRY();
    if (failed) throw PgError(detail::take_error(caller_context));
    return result;
  }
  // clang-format on
}
#pragma GCC diagnostic pop

// C++ -> PostgreSQL: runs the C++ body of an entry point. Returns what the
// body returns; any exception becomes a PostgreSQL ERROR raised after every
// C++ frame below this one has been unwound.
template <typename Fn>
Datum invoke_cpp(Fn&& body) {
  detail::ErrorReport report;
  report.sqlstate = 0;
  sigjmp_buf* const saved_exception_stack = PG_exception_stack;
  ErrorContextCallback* const saved_context_stack = error_context_stack;
  const MemoryContext saved_memory_context = CurrentMemoryContext;
  const MemoryContext saved_error_copy_context = detail::error_copy_context;
  if (detail::error_copy_context == nullptr) detail::error_copy_context = saved_memory_context;

  try {
    Datum result = body();
    detail::error_copy_context = saved_error_copy_context;
    return result;
  } catch (const PgError& e) {
    report.pg_error = e.edata();
    report.pg_error_lost = e.edata() == nullptr;
  } catch (const SqlError& e) {
    detail::fill_report(report, e.sqlstate(), {}, e.what(), e.detail(), e.hint());
  } catch (const std::bad_alloc&) {
    detail::fill_report(report, ERRCODE_OUT_OF_MEMORY, {}, "out of memory");
  } catch (const std::exception& e) {
    detail::fill_report(report, ERRCODE_INTERNAL_ERROR, "thaiyyal internal error: ", e.what());
  } catch (...) {
    detail::fill_report(report, ERRCODE_INTERNAL_ERROR,
                        "thaiyyal internal error: ", "unknown C++ exception");
  }

  // Only plain data is left on this frame: hand over to PostgreSQL.
  detail::error_copy_context = saved_error_copy_context;
  PG_exception_stack = saved_exception_stack;
  error_context_stack = saved_context_stack;
  MemoryContextSwitchTo(saved_memory_context);
  detail::raise_report(report);
}

// The SQL-callable wrapper for a C++ function body:
//   THAIYYAL_PG_FUNCTION(thaiyyal_execute) { ... C++ using fcinfo ... }
// declares the C-linkage entry point `name`, whose only job is to run
// `name_impl` under invoke_cpp.
#define THAIYYAL_PG_FUNCTION(name)                                                          \
  extern "C" {                                                                              \
  PG_FUNCTION_INFO_V1(name);                                                                \
  }                                                                                         \
  static Datum name##_impl(FunctionCallInfo fcinfo);                                        \
  extern "C" Datum name(PG_FUNCTION_ARGS) {                                                 \
    return ::thaiyyal::pg::invoke_cpp([fcinfo]() -> Datum { return name##_impl(fcinfo); }); \
  }                                                                                         \
  static Datum name##_impl(FunctionCallInfo fcinfo)

}  // namespace thaiyyal::pg
