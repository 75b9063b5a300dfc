// api_support.hpp.
#include "extension/catalog/api_support.hpp"
#include "extension/boundary/spi_support.hpp"
#include "extension/workers/worker_gucs.hpp"

namespace thaiyyal::pg {

std::string text_arg(FunctionCallInfo fcinfo, int n) {
  return std::string(
      pg_call([fcinfo, n]() noexcept { return TextDatumGetCString(PG_GETARG_DATUM(n)); }));
}

void require_arg(FunctionCallInfo fcinfo, int n, const char* what) {
  if (PG_ARGISNULL(n))
    throw SqlError(ERRCODE_NULL_VALUE_NOT_ALLOWED, std::string(what) + " must not be null");
}

std::int64_t first_int8() {
  bool isnull = false;
  return DatumGetInt64(result_value(0, 1, &isnull));
}

SqlError no_such_run(std::int64_t run_id) {
  return SqlError(ERRCODE_UNDEFINED_OBJECT, "run " + std::to_string(run_id) + " does not exist",
                  "Runs of other tenants are not visible.");
}

void refuse_superuser_runs(const Caller& caller, const char* what) {
  if (!caller.superuser || allow_superuser_runs()) return;
  throw SqlError(ERRCODE_INSUFFICIENT_PRIVILEGE, std::string("a superuser may not ") + what,
                 "Queued runs execute as the role that queued them.",
                 "Queue runs as an ordinary role, or set thaiyyal.allow_superuser_runs = on "
                 "(superuser only).");
}

}  // namespace thaiyyal::pg
