// Library entry: PostgreSQL's module magic and _PG_init.
#include "gucs.hpp"

#include "pg_guard.hpp"

extern "C" {
PG_MODULE_MAGIC;

PGDLLEXPORT void _PG_init(void);
}

extern "C" void _PG_init(void) {
  thaiyyal::pg::invoke_cpp([]() -> Datum {
    thaiyyal::pg::pg_call([]() noexcept { thaiyyal::pg::define_gucs(); });
    return static_cast<Datum>(0);
  });
}
