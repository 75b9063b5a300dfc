// In-database nodes (ours, not the reference's): `sql_query` runs a
// parameterized statement, `sql_batch` writes an array of objects in one
// set-based statement. Both go through the host's SqlService, which runs
// them with the calling role's privileges inside the caller's transaction.
#include "engine/expr/expression.hpp"
#include "engine/nodes/node_util.hpp"
#include "engine/run/sql_service.hpp"

namespace thaiyyal {
namespace {

SqlService& require_sql(RunContext& run, std::string_view node_type) {
  SqlService* sql = run.host().sql();
  if (sql == nullptr) {
    throw NodeError(std::string(node_type) + " is not available: this host has no database");
  }
  return *sql;
}

class SqlQueryExecutor final : public NodeExecutor {
 public:
  explicit SqlQueryExecutor(const NodeData& data)
      : query_(data.string_or("query", "")), max_rows_(data.integer("max_rows")) {
    for (const std::string& text : data.strings("params")) {
      params_.push_back(expr::CompiledExpression::compile(text, expr::StartSymbol::Expression));
    }
  }

  Value execute(RunContext& run, const std::vector<Value>& inputs) const override {
    for (std::size_t i = 0; i < params_.size(); ++i) {
      if (!params_[i].valid()) {
        throw NodeError("sql_query parameter $" + std::to_string(i + 1) + ": " +
                        params_[i].compile_error());
      }
    }
    expr::Bindings bindings;
    Value none;
    bindings.current = inputs.empty() ? &none : &inputs[0];
    std::vector<Value> values;
    values.reserve(params_.size());
    for (std::size_t i = 0; i < params_.size(); ++i) {
      expr::Outcome outcome = params_[i].evaluate(run, bindings);
      if (!outcome.ok()) {
        throw NodeError("sql_query parameter $" + std::to_string(i + 1) +
                        " evaluation failed: " + outcome.error().message);
      }
      values.push_back(std::move(outcome.value()));
    }
    std::int64_t limit = max_rows_.value_or(run.limits().sql_max_rows);
    if (run.limits().sql_max_rows > 0 && (limit <= 0 || limit > run.limits().sql_max_rows)) {
      limit = run.limits().sql_max_rows;
    }
    SqlQueryResult result = require_sql(run, "sql_query").query(query_, values, limit);
    return out({{"count", integer(result.count)}, {"rows", Value::array(std::move(result.rows))}});
  }
  void static_problems(std::vector<std::string>& problems) const override {
    for (std::size_t i = 0; i < params_.size(); ++i) {
      if (!params_[i].valid()) {
        problems.push_back("sql_query parameter $" + std::to_string(i + 1) + ": " +
                           params_[i].compile_error());
      }
    }
  }
  std::optional<std::vector<std::string>> handles() const override {
    return std::vector<std::string>{};  // {"count", "rows"}
  }
  void expressions(std::vector<NodeExpression>& out) const override {
    for (std::size_t i = 0; i < params_.size(); ++i) {
      out.push_back({"params[" + std::to_string(i) + "]", &params_[i]});
    }
  }

 private:
  std::string query_;
  std::optional<std::int64_t> max_rows_;
  std::vector<expr::CompiledExpression> params_;
};

class SqlBatchExecutor final : public NodeExecutor {
 public:
  explicit SqlBatchExecutor(const NodeData& data)
      : table_(data.string_or("table", "")),
        mode_name_(data.string_or("mode", "insert")),
        key_(data.strings("key")) {}

  Value execute(RunContext& run, const std::vector<Value>& inputs) const override {
    SqlBatchMode mode;
    if (mode_name_ == "insert") {
      mode = SqlBatchMode::Insert;
    } else if (mode_name_ == "upsert") {
      mode = SqlBatchMode::Upsert;
    } else if (mode_name_ == "update") {
      mode = SqlBatchMode::Update;
    } else {
      throw NodeError("unsupported sql_batch mode: " + mode_name_ +
                      " (use insert, upsert or update)");
    }
    if (mode != SqlBatchMode::Insert && key_.empty()) {
      throw NodeError("sql_batch mode " + mode_name_ + " requires key columns");
    }
    if (inputs.empty()) throw NodeError("sql_batch node requires an input array of objects");
    const Value& rows = inputs[0];
    if (!rows.is_array() && !rows.is_record_list()) {
      throw NodeError("sql_batch requires an array of objects as input, got " +
                      std::string(go_type_name(rows)));
    }
    const Array& items = rows.as_array();
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (!items[i].is_object()) {
        throw NodeError("sql_batch input element " + std::to_string(i) + " is not an object, got " +
                        std::string(go_type_name(items[i])));
      }
    }
    if (items.empty()) return out({{"count", integer(0)}});
    std::int64_t count = require_sql(run, "sql_batch").batch(table_, mode, key_, rows);
    return out({{"count", integer(count)}});
  }

 private:
  std::string table_;
  std::string mode_name_;
  std::vector<std::string> key_;
};

}  // namespace

void register_sql_nodes(NodeRegistry& registry) {
  NodeTypeInfo query;
  query.type = "sql_query";
  query.struct_name = "SqlQueryData";
  query.fields = {field("query", FieldType::String), field("params", FieldType::StringArray),
                  field("max_rows", FieldType::Integer)};
  query.validate = THAIYYAL_REQUIRE_FIELD("query");
  query.compile = [](const NodeData& data) -> std::unique_ptr<NodeExecutor> {
    return std::make_unique<SqlQueryExecutor>(data);
  };
  registry.add(std::move(query));

  NodeTypeInfo batch;
  batch.type = "sql_batch";
  batch.struct_name = "SqlBatchData";
  batch.fields = {field("table", FieldType::String), field("mode", FieldType::String),
                  field("key", FieldType::StringArray)};
  batch.validate = THAIYYAL_REQUIRE_FIELD("table");
  batch.compile = [](const NodeData& data) -> std::unique_ptr<NodeExecutor> {
    return std::make_unique<SqlBatchExecutor>(data);
  };
  registry.add(std::move(batch));
}

}  // namespace thaiyyal
