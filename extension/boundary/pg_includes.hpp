// The one place where extension code includes PostgreSQL headers.
//
// Include order rule for every extension translation unit:
//   1. C++ standard headers and engine headers (engine/common/no_postgres.hpp
//      refuses to compile an engine header seen after postgres.h);
//   2. then this file (directly or through pg_guard.hpp).
//
// PostgreSQL headers are C: they are wrapped in extern "C" and a few
// warnings that PostgreSQL's own headers trigger under C++20 -Wextra are
// silenced for the duration of the includes only, so our code keeps the full
// -Wall -Wextra -Werror treatment.
//
// Beware: port.h (pulled in by postgres.h) #defines snprintf, vsnprintf,
// printf, strerror, ... to PostgreSQL's replacements. Code after this header
// must not spell them with a std:: prefix.
#pragma once

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wregister"  // s_lock.h, atomics (via access/xact.h)

extern "C" {
#include "postgres.h"

#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "storage/latch.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/wait_event.h"

// Stored workflows, run recording and the SQL nodes (SPI, subtransactions).
#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "common/jsonapi.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "parser/parse_param.h"
#include "tcop/tcopprot.h"
#include "tcop/utility.h"
#include "utils/json.h"
#include "utils/lsyscache.h"
#include "utils/plancache.h"
#include "utils/regproc.h"
#include "utils/resowner.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"
}

#pragma GCC diagnostic pop
