// Configuration parameters (GUCs) of the extension: one per field of
// thaiyyal::Limits, all under the reserved prefix "thaiyyal.".
#pragma once

#include <cstdint>

#include "engine/thaiyyal.hpp"

namespace thaiyyal::pg {

// Registers the parameters; called once from _PG_init, inside pg_call (it
// only calls PostgreSQL C functions).
void define_gucs() noexcept;

// The limits for a run, read from the parameters' current values. Pure C++
// (reads the GUC variables; may throw std::bad_alloc).
Limits current_limits();

// thaiyyal.max_run_memory in bytes (0 = unlimited), without building Limits.
std::int64_t max_run_memory_bytes() noexcept;

}  // namespace thaiyyal::pg
