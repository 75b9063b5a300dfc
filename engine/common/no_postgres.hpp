// Included by every engine header: the engine is a pure C++ library, and a
// translation unit that has seen postgres.h before any engine header fails
// to compile here instead of silently mixing the two worlds.
//
// extension/ code includes engine headers *before* postgres.h (see
// extension/pg_includes.hpp), so this only fires on a real layering breach.
#pragma once

#if defined(PG_VERSION_NUM) || defined(POSTGRES_H)
#error "engine/ must not depend on PostgreSQL headers"
#endif
