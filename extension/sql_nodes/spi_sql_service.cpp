// SpiSqlService: sql_query / sql_batch on SPI (see spi_sql_service.hpp).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/common/checked_size.hpp"
#include "engine/common/interrupts.hpp"
#include "engine/common/run_memory.hpp"
#include "engine/common/stack_depth.hpp"
#include "engine/go/json.hpp"
#include "engine/thaiyyal.hpp"

#include "extension/boundary/identity.hpp"
#include "extension/boundary/spi_support.hpp"
#include "extension/catalog/catalog_gucs.hpp"
#include "extension/convert/value_to_jsonb.hpp"
#include "extension/run/lru_cache.hpp"
#include "extension/sql_nodes/row_values.hpp"
#include "extension/sql_nodes/spi_sql_service.hpp"

#include "extension/boundary/pg_guard.hpp"

namespace thaiyyal::pg {

namespace {

// How a parameter's value becomes a Datum of the prepared type.
struct ParamType {
  Oid type = InvalidOid;
  Oid input_function = InvalidOid;
  Oid io_param = InvalidOid;
  bool json = false;   // json or jsonb: the value's JSON text
  bool array = false;  // an array type: a JSON array becomes an array literal
};

// A prepared, kept statement.
struct Statement {
  SPIPlanPtr plan = nullptr;
  std::vector<ParamType> params;
  // Only SELECTs (data-modifying CTEs included) may stop after max_rows + 1
  // rows; DML with RETURNING must run to completion.
  bool select_only = false;
  int pins = 0;
};

// Statements in use (pinned) are never evicted, so a statement that runs a
// nested thaiyyal_execute cannot have its own plan freed underneath it; an
// evicted statement's plan is freed.
struct StatementPolicy {
  static bool in_use(const Statement& s) { return s.pins > 0; }
  static void evicted(Statement& s) {
    SPIPlanPtr plan = s.plan;
    pg_call([plan]() noexcept { SPI_freeplan(plan); });
  }
};

// The per-backend LRU of prepared statements (thaiyyal.sql_plan_cache_size),
// keyed by the statement text and its parameters' default types.
class StatementCache {
 public:
  class Pin {
   public:
    explicit Pin(Statement* s) : s_(s) { ++s_->pins; }
    ~Pin() { --s_->pins; }
    Pin(const Pin&) = delete;
    Pin& operator=(const Pin&) = delete;
    const Statement& operator*() const { return *s_; }
    const Statement* operator->() const { return s_; }

   private:
    Statement* s_;
  };

  // The kept statement for `text` with parameters of the given default
  // types, prepared on a miss. Throws PgError (syntax errors, unknown
  // tables, ...).
  Statement* get(const std::string& text, const std::vector<Oid>& default_types);

  SqlPlanCacheStats stats() const {
    return SqlPlanCacheStats{static_cast<int>(cache_.size()), cache_.hits(), cache_.misses()};
  }

 private:
  LruCache<std::string, Statement, std::hash<std::string_view>, StatementPolicy> cache_;
};

StatementCache& statement_cache() {
  static StatementCache cache;
  return cache;
}

struct VarParamState {
  Oid* types;
  int count;
};

void variable_params_setup(ParseState* pstate, void* arg) {
  auto* state = static_cast<VarParamState*>(arg);
  setup_parse_variable_parameters(pstate, &state->types, &state->count);
}

struct Prepared {
  SPIPlanPtr plan;
  bool select_only;
};

// Prepares `text` (plain C, inside pg_call): first with parameter types
// inferred from the statement, then kept with fixed types (inferred, or the
// default where the statement leaves one undetermined) so that the types
// bound to a kept plan can never change under it.
Prepared prepare_statement(const char* text, int nparams, Oid* types) noexcept {
  // SPI_prepare* leave SPI's procedure context current.
  const MemoryContext caller_context = CurrentMemoryContext;
  if (nparams > 0) {
    VarParamState state{static_cast<Oid*>(palloc0(sizeof(Oid) * nparams)), nparams};
    SPIPlanPtr probe = SPI_prepare_params(text, variable_params_setup, &state, 0);
    if (probe == nullptr) {
      elog(ERROR, "SPI_prepare_params failed: %s", SPI_result_code_string(SPI_result));
    }
    SPI_freeplan(probe);
    for (int i = 0; i < nparams; ++i) {
      const Oid inferred = state.types[i];
      if (OidIsValid(inferred) && inferred != UNKNOWNOID) types[i] = inferred;
    }
  }
  SPIPlanPtr plan = SPI_prepare(text, nparams, types);
  if (plan == nullptr) elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
  bool select_only = true;
  ListCell* cell;
  foreach (cell, SPI_plan_get_plan_sources(plan)) {
    const auto* source = static_cast<const CachedPlanSource*>(lfirst(cell));
    if (source->commandTag != CMDTAG_SELECT) select_only = false;
  }
  SPI_keepplan(plan);
  MemoryContextSwitchTo(caller_context);
  return Prepared{plan, select_only};
}

// Input functions of the parameter types (a type's input function never
// changes while the type exists). Plain C, inside pg_call.
void describe_param(ParamType* p) noexcept {
  getTypeInputInfo(p->type, &p->input_function, &p->io_param);
  const Oid base = getBaseType(p->type);
  p->json = base == JSONOID || base == JSONBOID;
  p->array = OidIsValid(get_element_type(base));
}

Statement* StatementCache::get(const std::string& text, const std::vector<Oid>& default_types) {
  std::string key = text;
  key.push_back('\0');
  for (Oid type : default_types) key += std::to_string(type) + ",";
  if (Statement* hit = cache_.find(key)) return hit;
  // Room first (before preparing: eviction frees plans). With a capacity of
  // 0 the statement is still kept until the next one replaces it: it is
  // about to execute.
  const std::size_t capacity =
      std::max<std::size_t>(static_cast<std::size_t>(sql_plan_cache_capacity()), 1);
  cache_.evict_to(capacity - 1);

  std::vector<Oid> types = default_types;
  const char* c_text = text.c_str();
  const int nparams = static_cast<int>(types.size());
  Oid* type_data = types.data();
  Prepared prepared = pg_call([c_text, nparams, type_data]() noexcept {
    return prepare_statement(c_text, nparams, type_data);
  });
  Statement statement;
  statement.plan = prepared.plan;
  statement.select_only = prepared.select_only;
  statement.params.resize(types.size());
  try {
    for (std::size_t i = 0; i < types.size(); ++i) {
      ParamType* p = &statement.params[i];
      p->type = types[i];
      pg_call([p]() noexcept { describe_param(p); });
    }
  } catch (...) {
    SPIPlanPtr plan = prepared.plan;
    pg_call([plan]() noexcept { SPI_freeplan(plan); });
    throw;
  }
  return cache_.insert(std::move(key), std::move(statement), capacity);
}

// The type a parameter gets when the statement does not determine one.
Oid default_type(const Value& v) {
  switch (v.kind()) {
    case Kind::Bool:
      return BOOLOID;
    case Kind::Number:
    case Kind::Int:
    case Kind::JsonNumber:
      return NUMERICOID;
    case Kind::Array:
    case Kind::Object:
    case Kind::RecordList:
      return JSONBOID;
    case Kind::Time:
      return TIMESTAMPTZOID;
    case Kind::Null:
    case Kind::String:
      break;
  }
  return TEXTOID;
}

std::string number_text(const Value& v) {
  if (v.is_number()) {
    const double d = v.as_number();
    if (std::isnan(d)) return "NaN";
    if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  }
  return to_json(v, JsonStyle::Plain);
}

// One element of an array literal: "..." with " and \ escaped. Recursive
// over a value the run built, so bounded like every engine walk
// (common/stack_depth.hpp; a value nested too deeply fails the node) and
// checked against the run's memory budget as the text grows.
void append_array_element(std::string& out, const Value& v) {
  if (v.is_null()) {
    out += "NULL";
    return;
  }
  if (v.is_array() || v.is_record_list()) {
    check_stack_depth();
    out += '{';
    bool first = true;
    for (const Value& e : v.as_array()) {
      poll_interrupts();
      run_memory::ensure_available(out.size());
      if (!first) out += ',';
      first = false;
      append_array_element(out, e);
    }
    out += '}';
    return;
  }
  std::string text;
  if (v.is_string() || v.is_json_number()) {
    text = v.as_string();
  } else if (v.is_bool()) {
    text = v.as_bool() ? "true" : "false";
  } else if (v.is_numeric()) {
    text = number_text(v);
  } else {
    text = to_json(v, JsonStyle::Plain);
    if (v.is_time()) text = text.substr(1, text.size() - 2);
  }
  out += '"';
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
}

// The text the parameter's input function reads.
std::string param_text(const Value& v, const ParamType& p, std::size_t index) {
  try {
    if (p.json) return to_json(v, JsonStyle::Plain);
    if (p.array && (v.is_array() || v.is_record_list())) {
      std::string out;
      append_array_element(out, v);
      return out;
    }
    switch (v.kind()) {
      case Kind::String:
      case Kind::JsonNumber:
        return v.as_string();
      case Kind::Bool:
        return v.as_bool() ? "true" : "false";
      case Kind::Number:
      case Kind::Int:
        return number_text(v);
      case Kind::Time: {
        std::string text = to_json(v, JsonStyle::Plain);
        return text.substr(1, text.size() - 2);
      }
      default:
        return to_json(v, JsonStyle::Plain);
    }
  } catch (const JsonWriteError& e) {
    throw NodeError("sql parameter $" + std::to_string(index + 1) + ": " + e.what());
  }
}

// Converts the values with the statement's input functions; nulls[i] = 'n'
// for SQL NULL.
void bind_params(const Statement& statement, const std::vector<Value>& params,
                 std::vector<Datum>& values, std::vector<char>& nulls) {
  values.assign(params.size(), Datum(0));
  nulls.assign(params.size(), ' ');
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (params[i].is_null()) {
      nulls[i] = 'n';
      continue;
    }
    const std::string text = param_text(params[i], statement.params[i], i);
    if (text.find('\0') != std::string::npos) {
      throw NodeError("sql parameter $" + std::to_string(i + 1) +
                          ": a NUL character cannot be passed to PostgreSQL",
                      "SQLSTATE 22P05");
    }
    const ParamType* p = &statement.params[i];
    const char* data = text.c_str();
    const int length = static_cast<int>(text.size());
    values[i] = pg_call([p, data, length]() noexcept {
      char* server = pg_any_to_server(data, length, PG_UTF8);
      return OidInputFunctionCall(p->input_function, server, p->io_param, -1);
    });
  }
}

// The JSON text (UTF-8) of row `i` of a tuple table: row_to_json, the
// mapping the direct reader (row_values.hpp) reproduces and falls back to.
char* row_as_json(SPITupleTable* table, std::uint64_t i) noexcept {
  TupleDesc desc = BlessTupleDesc(table->tupdesc);
  Datum record = heap_copy_tuple_as_datum(table->vals[i], desc);
  char* json = text_to_cstring(DatumGetTextPP(DirectFunctionCall1(row_to_json, record)));
  CHECK_FOR_INTERRUPTS();
  return pg_server_to_any(json, static_cast<int>(std::strlen(json)), PG_UTF8);
}

// Row `i` through row_to_json and the engine's JSON parser.
Value row_by_json(SPITupleTable* table, std::uint64_t i) {
  char* text = pg_call([table, i]() noexcept { return row_as_json(table, i); });
  JsonParseOptions options;
  options.out_of_range_as_string = true;
  try {
    return parse_json(text, options);
  } catch (const JsonParseError& e) {
    throw NodeError("sql_query row " + std::to_string(i + 1) + " cannot be converted: " + e.what());
  }
}

#ifdef THAIYYAL_SQL_ROW_SELFCHECK
// Development check (off in every build): whether two Values are the same,
// number bits and integral flags included.
bool same_value(const Value& a, const Value& b) {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case Kind::Number: {
      const double x = a.as_number();
      const double y = b.as_number();
      return std::memcmp(&x, &y, sizeof x) == 0 && a.integral_literal() == b.integral_literal();
    }
    case Kind::String:
      return a.as_string() == b.as_string();
    case Kind::Array: {
      if (a.as_array().size() != b.as_array().size()) return false;
      for (std::size_t i = 0; i < a.as_array().size(); ++i) {
        if (!same_value(a.as_array()[i], b.as_array()[i])) return false;
      }
      return true;
    }
    case Kind::Object: {
      const auto& x = a.as_object().entries();
      const auto& y = b.as_object().entries();
      if (x.size() != y.size()) return false;
      for (std::size_t i = 0; i < x.size(); ++i) {
        if (x[i].first != y[i].first || !same_value(x[i].second, y[i].second)) return false;
      }
      return true;
    }
    default:
      return deep_equal(a, b);
  }
}
#endif

int execute_plan(const Statement& statement, std::vector<Datum>& values, std::vector<char>& nulls,
                 long tcount) {
  SPIPlanPtr plan = statement.plan;
  Datum* value_data = values.data();
  const char* null_data = nulls.data();
  const int rc = pg_call([plan, value_data, null_data, tcount]() noexcept {
    const MemoryContext caller_context = CurrentMemoryContext;
    const int result = SPI_execute_plan(plan, value_data, null_data, false, tcount);
    MemoryContextSwitchTo(caller_context);  // SPI leaves its procedure context current
    return result;
  });
  if (rc == SPI_ERROR_TRANSACTION) {
    throw NodeError(
        "transaction control statements (COMMIT, ROLLBACK, ...) cannot run in a SQL node",
        "SQLSTATE 2D000");
  }
  if (rc == SPI_ERROR_COPY) {
    throw NodeError("COPY to or from the client cannot run in a SQL node", "SQLSTATE 0A000");
  }
  if (rc < 0) {
    throw SqlError(ERRCODE_INTERNAL_ERROR,
                   std::string("SPI_execute_plan failed: ") + SPI_result_code_string(rc));
  }
  return rc;
}

// Switches to the statement context and resets it afterwards.
class StatementScope {
 public:
  explicit StatementScope(MemoryContext context)
      : context_(context), saved_(MemoryContextSwitchTo(context)) {}
  ~StatementScope() {
    MemoryContextSwitchTo(saved_);
    MemoryContextReset(context_);
  }
  StatementScope(const StatementScope&) = delete;
  StatementScope& operator=(const StatementScope&) = delete;

 private:
  MemoryContext context_;
  MemoryContext saved_;
};

std::string quoted_identifier(const std::string& name) {
  const char* c_name = name.c_str();
  return pg_call([c_name]() noexcept { return quote_identifier(c_name); });
}

void check_no_nul(const std::string& text, const char* what) {
  if (text.find('\0') != std::string::npos) {
    throw NodeError(std::string("sql_batch ") + what + " contains a NUL character",
                    "SQLSTATE 22P05");
  }
}

}  // namespace

SpiSqlService::SpiSqlService() {
  MemoryContext parent = CurrentMemoryContext;
  statement_context_ = pg_call([parent]() noexcept {
    return AllocSetContextCreateInternal(parent, "thaiyyal sql node", ALLOCSET_DEFAULT_SIZES);
  });
}

void SpiSqlService::rethrow_pending_error() const {
  if (has_pending_error_) throw PgError(pending_error_);
}

template <typename Fn>
auto SpiSqlService::guarded_statement(Fn&& body) -> decltype(body()) {
  rethrow_pending_error();
  StatementScope scope(statement_context_);
  try {
    return in_subtransaction([&] {
      // What the statement SETs (SET, SET LOCAL, set_config) ends with it:
      // a node must not change the caller's session, nor the run's own
      // thaiyyal.tenant. (On an error the subtransaction's abort reverts.)
      GucNestLevel settings;
      auto result = body();
      settings.revert();
      return result;
    });
  } catch (const PgError& e) {
    if (propagates_unchanged(e)) {
      has_pending_error_ = true;
      pending_error_ = e.edata();
      throw;
    }
    throw node_error_from(e);
  } catch (const SqlError& e) {
    throw node_error_from(e);
  }
}

SqlQueryResult SpiSqlService::query(std::string_view query, const std::vector<Value>& params,
                                    std::int64_t max_rows) {
  return guarded_statement([&] { return run_query(query, params, max_rows); });
}

std::int64_t SpiSqlService::batch(std::string_view table, SqlBatchMode mode,
                                  const std::vector<std::string>& key, const Value& rows) {
  return guarded_statement([&] { return run_batch(table, mode, key, rows); });
}

SqlQueryResult SpiSqlService::run_query(std::string_view query, const std::vector<Value>& params,
                                        std::int64_t max_rows) {
  const std::string text(query);
  if (text.find('\0') != std::string::npos) {
    throw NodeError("sql_query query contains a NUL character", "SQLSTATE 22P05");
  }
  std::vector<Oid> default_types;
  default_types.reserve(params.size());
  for (const Value& p : params) default_types.push_back(default_type(p));

  StatementCache::Pin statement(statement_cache().get(text, default_types));
  std::vector<Datum> values;
  std::vector<char> nulls;
  bind_params(*statement, params, values, nulls);
  const long tcount = statement->select_only && max_rows > 0 ? static_cast<long>(max_rows) + 1 : 0;
  execute_plan(*statement, values, nulls, tcount);

  const std::uint64_t processed = SPI_processed;
  SPITupleTable* table = SPI_tuptable;
  SqlQueryResult result;
  result.count = static_cast<std::int64_t>(processed);
  if (table == nullptr) return result;
  if (max_rows > 0 && processed > static_cast<std::uint64_t>(max_rows)) {
    throw NodeError("sql_query returned more than " + std::to_string(max_rows) +
                    " rows (the limit is the node's max_rows or thaiyyal.sql_max_rows; add a "
                    "LIMIT clause or raise the limit)");
  }
  // The rows become values of the run: the run's memory budget counts them
  // (RunMemoryExceeded unwinds through the subtransaction like any error).
  run_memory::ensure_available(saturating_mul(processed, sizeof(Value)));
  result.rows.reserve(processed);
  TupleDesc desc = table->tupdesc;
  RowReader reader(desc);
  for (std::uint64_t i = 0; i < processed; ++i) {
    Value row;
    if (!reader.usable() || !reader.read(table->vals[i], row)) {
      result.rows.push_back(row_by_json(table, i));
      continue;
    }
#ifdef THAIYYAL_SQL_ROW_SELFCHECK
    {
      RunMemoryBudget* budget = run_memory::current();
      const std::uint64_t before = budget != nullptr ? budget->used() : 0;
      Value direct;
      reader.read(table->vals[i], direct);
      const std::uint64_t middle = budget != nullptr ? budget->used() : 0;
      Value by_json = row_by_json(table, i);
      const std::uint64_t after = budget != nullptr ? budget->used() : 0;
      if (!same_value(direct, by_json) || middle - before < after - middle) {
        throw NodeError("row self-check: row " + std::to_string(i + 1) + " direct " +
                        to_json(direct, JsonStyle::Plain) + " (" + std::to_string(middle - before) +
                        " bytes) vs JSON path " + to_json(by_json, JsonStyle::Plain) + " (" +
                        std::to_string(after - middle) + " bytes)");
      }
    }
#endif
    result.rows.push_back(std::move(row));
  }
  pg_call([table]() noexcept { SPI_freetuptable(table); });
  return result;
}

std::int64_t SpiSqlService::run_batch(std::string_view table_name, SqlBatchMode mode,
                                      const std::vector<std::string>& key, const Value& rows) {
  const std::string table(table_name);
  check_no_nul(table, "table name");
  if (table.empty()) throw NodeError("sql_batch table name is empty");

  // Columns: the union of the objects' keys (sorted, so that equal column
  // sets share one prepared statement).
  std::set<std::string> columns;
  for (const Value& row : rows.as_array()) {
    for (const auto& [name, value] : row.as_object()) columns.insert(name);
  }
  if (columns.empty()) throw NodeError("sql_batch input objects have no keys");

  struct ResolvedTable {
    Oid id;
    char kind;
    const char* qualified_name;
  };
  const char* c_table = table.c_str();
  ResolvedTable relation{InvalidOid, 0, nullptr};
  try {
    relation = pg_call([c_table]() noexcept {
      RangeVar* rv = makeRangeVarFromNameList(stringToQualifiedNameList(c_table));
      const Oid id = RangeVarGetRelid(rv, NoLock, true);
      if (!OidIsValid(id)) return ResolvedTable{InvalidOid, 0, nullptr};
      const char* schema = get_namespace_name(get_rel_namespace(id));
      const char* name = get_rel_name(id);
      return ResolvedTable{id, get_rel_relkind(id), quote_qualified_identifier(schema, name)};
    });
  } catch (const PgError& e) {
    if (e.sqlerrcode() != ERRCODE_INVALID_NAME) throw;
    throw NodeError("sql_batch table name \"" + table + "\": " + e.message(), "SQLSTATE 42602");
  }
  if (!OidIsValid(relation.id)) {
    throw NodeError("relation \"" + table + "\" does not exist", "SQLSTATE 42P01");
  }
  if (relation.kind != RELKIND_RELATION && relation.kind != RELKIND_PARTITIONED_TABLE &&
      relation.kind != RELKIND_VIEW && relation.kind != RELKIND_FOREIGN_TABLE) {
    throw NodeError("\"" + table + "\" is not a table or view", "SQLSTATE 42809");
  }
  const Oid relid = relation.id;
  auto check_column = [&](const std::string& column, const char* what) {
    check_no_nul(column, what);
    const char* c_column = column.c_str();
    const AttrNumber attnum =
        pg_call([relid, c_column]() noexcept { return get_attnum(relid, c_column); });
    if (attnum <= 0) {
      throw NodeError("column \"" + column + "\" of relation \"" + table + "\" does not exist",
                      "SQLSTATE 42703");
    }
  };
  for (const std::string& column : columns) check_column(column, "column name");
  std::set<std::string> keys;
  for (const std::string& k : key) {
    check_column(k, "key column");
    if (!columns.contains(k)) {
      throw NodeError("sql_batch key column \"" + k + "\" is missing from every input object");
    }
    keys.insert(k);
  }

  const std::string target(relation.qualified_name);
  std::string column_list;
  for (const std::string& column : columns) {
    if (!column_list.empty()) column_list += ", ";
    column_list += quoted_identifier(column);
  }
  std::string key_list;
  for (const std::string& k : key) {
    if (!key_list.empty()) key_list += ", ";
    key_list += quoted_identifier(k);
  }
  std::vector<std::string> others;  // non-key columns, quoted
  for (const std::string& column : columns) {
    if (!keys.contains(column)) others.push_back(quoted_identifier(column));
  }
  const std::string source = "pg_catalog.jsonb_populate_recordset(NULL::" + target + ", $1)";

  std::string sql;
  if (mode == SqlBatchMode::Update) {
    if (others.empty()) {
      throw NodeError("sql_batch update needs at least one column besides the key columns");
    }
    sql = "UPDATE " + target + " AS t SET ";
    for (std::size_t i = 0; i < others.size(); ++i) {
      if (i > 0) sql += ", ";
      sql += others[i] + " = r." + others[i];
    }
    sql += " FROM " + source + " AS r WHERE ";
    bool first = true;
    for (const std::string& k : keys) {
      const std::string q = quoted_identifier(k);
      if (!first) sql += " AND ";
      first = false;
      sql += "t." + q + " = r." + q;
    }
  } else {
    sql = "INSERT INTO " + target + " (" + column_list + ") SELECT " + column_list + " FROM " +
          source;
    if (mode == SqlBatchMode::Upsert) {
      sql += " ON CONFLICT (" + key_list + ") DO ";
      if (others.empty()) {
        sql += "NOTHING";
      } else {
        sql += "UPDATE SET ";
        for (std::size_t i = 0; i < others.size(); ++i) {
          if (i > 0) sql += ", ";
          sql += others[i] + " = EXCLUDED." + others[i];
        }
      }
    }
  }

  StatementCache::Pin statement(statement_cache().get(sql, {JSONBOID}));
  std::vector<Datum> values{JsonbPGetDatum(value_to_jsonb(rows, CurrentMemoryContext))};
  std::vector<char> nulls{' '};
  execute_plan(*statement, values, nulls, 0);
  return static_cast<std::int64_t>(SPI_processed);
}

SqlPlanCacheStats sql_plan_cache_stats() {
  return statement_cache().stats();
}

}  // namespace thaiyyal::pg
