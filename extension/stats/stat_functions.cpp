// The statistics as SQL (views in sql/thaiyyal--0.3.0.sql):
//
//   thaiyyal._stat_workflows() -> thaiyyal.stat_workflows
//   thaiyyal._stat_nodes()     -> thaiyyal.stat_nodes
//   thaiyyal._stat_info()      -> thaiyyal.stat_info (evictions, last reset)
//   thaiyyal.stat_reset()      (EXECUTE revoked from PUBLIC)
//
// Visibility follows tenancy, decided here (the functions are callable by
// PUBLIC, so the filter cannot live in the views): members of
// pg_read_all_stats (and superusers) see every row of every database; any
// other role the rows of the current database whose tenant
// thaiyyal.may_act_for() accepts, evaluated as the caller once per
// distinct tenant.
#include <cmath>
#include <cstdio>
#include <map>
#include <string>

#include "engine/common/latency_histogram.hpp"

#include "extension/run/run_support.hpp"
#include "extension/stats/stats_shmem.hpp"

#include "extension/boundary/pg_guard.hpp"

extern "C" {
#include "catalog/pg_authid.h"
#include "parser/parse_func.h"
#include "utils/acl.h"
}

namespace thaiyyal::pg {

namespace {

void require_shared_memory() {
  if (!stats::stats_available()) {
    throw SqlError(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
                   "thaiyyal statistics need the library in shared_preload_libraries", {},
                   "Add thaiyyal to shared_preload_libraries and restart the server.");
  }
}

// Which rows the caller may see.
class Visibility {
 public:
  Visibility() {
    all_ =
        pg_call([]() noexcept { return has_privs_of_role(GetUserId(), ROLE_PG_READ_ALL_STATS); });
  }

  bool visible(Oid dbid, const char* tenant) {
    if (all_) return true;
    if (dbid != MyDatabaseId) return false;
    const auto it = tenants_.find(tenant);
    if (it != tenants_.end()) return it->second;
    if (may_act_for_ == InvalidOid) {
      may_act_for_ = pg_call([]() noexcept {
        Oid argtypes[1] = {TEXTOID};
        return LookupFuncName(
            list_make2(makeString(pstrdup("thaiyyal")), makeString(pstrdup("may_act_for"))), 1,
            argtypes, false);
      });
    }
    const Oid function = may_act_for_;
    const bool may = pg_call([function, tenant]() noexcept {
      return DatumGetBool(OidFunctionCall1(function, CStringGetTextDatum(tenant)));
    });
    tenants_.emplace(tenant, may);
    return may;
  }

 private:
  bool all_ = false;
  Oid may_act_for_ = InvalidOid;
  std::map<std::string, bool> tenants_;
};

ReturnSetInfo* start_rows(FunctionCallInfo fcinfo) {
  pg_call([fcinfo]() noexcept { InitMaterializedSRF(fcinfo, 0); });
  return reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
}

void put_row(ReturnSetInfo* rsinfo, Datum* values, bool* nulls) {
  pg_call([rsinfo, values, nulls]() noexcept {
    tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
  });
}

Datum text_datum(const char* text) {
  return pg_call([text]() noexcept { return CStringGetTextDatum(text); });
}

Datum jsonb_datum(const std::string& json) {
  const char* text = json.c_str();
  return pg_call(
      [text]() noexcept { return DirectFunctionCall1(jsonb_in, CStringGetDatum(text)); });
}

constexpr int kWorkflowColumns = 21;

Datum stat_workflows(FunctionCallInfo fcinfo) {
  require_shared_memory();
  CallMemoryContext call_context("thaiyyal.stat_workflows");
  ReturnSetInfo* rsinfo = start_rows(fcinfo);
  stats::WorkflowRow* rows = nullptr;
  const int count = pg_call([&rows]() noexcept { return stats::copy_workflows(&rows); });
  Visibility visibility;
  for (int i = 0; i < count; ++i) {
    const stats::WorkflowRow& row = rows[i];
    if (!visibility.visible(row.key.dbid, row.tenant)) continue;
    const stats::WorkflowCounters& c = row.counters;
    Datum values[kWorkflowColumns];
    bool nulls[kWorkflowColumns] = {};
    int k = 0;
    values[k++] = ObjectIdGetDatum(row.key.dbid);
    values[k++] = text_datum(row.tenant);
    char hash[17];
    snprintf(hash, sizeof(hash), "%016llx",
             static_cast<unsigned long long>(static_cast<std::uint64_t>(row.key.workflow)));
    if (row.key.stored) {
      values[k++] = text_datum(row.name);
      values[k++] = Int64GetDatum(row.key.workflow);
      nulls[k++] = true;
    } else {
      nulls[k++] = true;
      nulls[k++] = true;
      values[k++] = text_datum(hash);
    }
    values[k++] = Int64GetDatum(c.calls);
    values[k++] = Int64GetDatum(c.failures);
    std::string classes = "{";
    for (const stats::FailureClass& slot : c.classes) {
      if (slot.code[0] == '\0') break;
      if (classes.size() > 1) classes += ", ";
      classes += "\"" + std::string(slot.code) + "\": " + std::to_string(slot.count);
    }
    if (c.other_failures > 0) {
      if (classes.size() > 1) classes += ", ";
      classes += "\"other\": " + std::to_string(c.other_failures);
    }
    classes += "}";
    values[k++] = jsonb_datum(classes);
    values[k++] = Float8GetDatum(c.total_ms);
    values[k++] = Float8GetDatum(c.min_ms);
    values[k++] = Float8GetDatum(c.max_ms);
    values[k++] = Float8GetDatum(c.mean_ms);
    values[k++] =
        Float8GetDatum(c.calls > 1 ? std::sqrt(c.sum_var_ms / static_cast<double>(c.calls)) : 0.0);
    const auto calls = static_cast<std::uint64_t>(c.calls);
    values[k++] =
        Float8GetDatum(latency::quantile_ms(c.histogram, calls, 0.50, c.min_ms, c.max_ms));
    values[k++] =
        Float8GetDatum(latency::quantile_ms(c.histogram, calls, 0.95, c.min_ms, c.max_ms));
    values[k++] =
        Float8GetDatum(latency::quantile_ms(c.histogram, calls, 0.99, c.min_ms, c.max_ms));
    values[k++] = Int64GetDatum(c.compiles);
    values[k++] = Float8GetDatum(c.compile_ms);
    values[k++] = Int64GetDatum(c.plan_cache_hits);
    values[k++] = Int64GetDatum(c.sql_rows_read);
    values[k++] = Int64GetDatum(c.sql_rows_written);
    put_row(rsinfo, values, nulls);
  }
  return Datum(0);
}

constexpr int kNodeColumns = 13;

Datum stat_nodes(FunctionCallInfo fcinfo) {
  require_shared_memory();
  CallMemoryContext call_context("thaiyyal.stat_nodes");
  ReturnSetInfo* rsinfo = start_rows(fcinfo);
  stats::NodeRow* rows = nullptr;
  const int count = pg_call([&rows]() noexcept { return stats::copy_nodes(&rows); });
  // Names of stored workflows by revision, from the workflow entries.
  std::map<std::int64_t, std::string> names;
  stats::WorkflowRow* workflows = nullptr;
  const int workflow_count =
      pg_call([&workflows]() noexcept { return stats::copy_workflows(&workflows); });
  for (int i = 0; i < workflow_count; ++i) {
    if (workflows[i].key.stored) names.emplace(workflows[i].key.workflow, workflows[i].name);
  }
  Visibility visibility;
  for (int i = 0; i < count; ++i) {
    const stats::NodeRow& row = rows[i];
    if (!visibility.visible(row.key.dbid, row.tenant)) continue;
    const stats::NodeCounters& c = row.counters;
    Datum values[kNodeColumns];
    bool nulls[kNodeColumns] = {};
    int k = 0;
    values[k++] = ObjectIdGetDatum(row.key.dbid);
    values[k++] = text_datum(row.tenant);
    values[k++] = text_datum(row.type);
    if (row.key.revision != 0) {
      const auto name = names.find(row.key.revision);
      if (name != names.end()) {
        values[k++] = text_datum(name->second.c_str());
      } else {
        nulls[k++] = true;
      }
      values[k++] = Int64GetDatum(row.key.revision);
      values[k++] = text_datum(row.node_id);
    } else {
      nulls[k++] = true;
      nulls[k++] = true;
      nulls[k++] = true;
    }
    values[k++] = Int64GetDatum(c.executions);
    values[k++] = Int64GetDatum(c.skips);
    values[k++] = Int64GetDatum(c.failures);
    values[k++] = Int64GetDatum(c.timed_executions);
    // The time of all executions, estimated from the timed ones.
    const double mean =
        c.timed_executions > 0 ? c.timed_ms / static_cast<double>(c.timed_executions) : 0.0;
    values[k++] = Float8GetDatum(mean * static_cast<double>(c.executions));
    values[k++] = Float8GetDatum(c.max_ms);
    values[k++] = Float8GetDatum(mean);
    put_row(rsinfo, values, nulls);
  }
  return Datum(0);
}

Datum stat_info(FunctionCallInfo fcinfo) {
  require_shared_memory();
  const stats::Info info = pg_call([]() noexcept { return stats::info(); });
  ReturnSetInfo* rsinfo = start_rows(fcinfo);
  Datum values[2] = {Int64GetDatum(info.dealloc), TimestampTzGetDatum(info.reset_at)};
  bool nulls[2] = {false, false};
  put_row(rsinfo, values, nulls);
  return Datum(0);
}

Datum stat_reset() {
  require_shared_memory();
  pg_call([]() noexcept { stats::reset(); });
  return Datum(0);
}

}  // namespace

}  // namespace thaiyyal::pg

THAIYYAL_PG_FUNCTION(thaiyyal_stat_workflows) {
  return thaiyyal::pg::stat_workflows(fcinfo);
}

THAIYYAL_PG_FUNCTION(thaiyyal_stat_nodes) {
  return thaiyyal::pg::stat_nodes(fcinfo);
}

THAIYYAL_PG_FUNCTION(thaiyyal_stat_info) {
  return thaiyyal::pg::stat_info(fcinfo);
}

THAIYYAL_PG_FUNCTION(thaiyyal_stat_reset) {
  (void)fcinfo;
  thaiyyal::pg::stat_reset();
  PG_RETURN_VOID();
}
