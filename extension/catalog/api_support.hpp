// What the catalog's SQL functions (catalog_api.cpp, rerun_api.cpp) share:
// reading arguments, and the checks and errors every one of them makes the
// same way.
#pragma once

#include <cstdint>
#include <string>

#include "engine/thaiyyal.hpp"

#include "extension/boundary/identity.hpp"
#include "extension/boundary/pg_guard.hpp"

namespace thaiyyal::pg {

// Argument n as text (not NULL).
std::string text_arg(FunctionCallInfo fcinfo, int n);

// ERROR 22004 "<what> must not be null" when argument n is NULL.
void require_arg(FunctionCallInfo fcinfo, int n, const char* what);

// Column 1 of row 0 of the last SPI statement as bigint.
std::int64_t first_int8();

// ERROR 42704: the run does not exist, or belongs to another tenant.
SqlError no_such_run(std::int64_t run_id);

// A queued run executes as the role that queued it; a superuser's run
// would execute whatever a co-member of the tenant saves, as superuser.
void refuse_superuser_runs(const Caller& caller, const char* what);

}  // namespace thaiyyal::pg
