// The parameters of statistics and the slow-run log:
//
//   thaiyyal.track             none | top | all   (superuser; default top)
//   thaiyyal.track_max         entries kept in shared memory (server start)
//   thaiyyal.log_min_duration  ms; -1 = off       (superuser)
//   thaiyyal.node_timing_sample_rate  fraction of runs whose nodes are timed
//                              (superuser; default 1/16)
//
// Like pg_stat_statements.track and log_min_duration_statement they are
// superuser-only: an ordinary role must neither hide its runs from the
// statistics nor fill the server log.
#pragma once

namespace thaiyyal::pg {

enum class Track { None, Top, All };

// Registers the parameters; called from define_gucs (inside pg_call).
void define_stats_gucs() noexcept;

Track track_level() noexcept;
// Workflow entries kept in shared memory; node entries get kNodeEntriesPerWorkflow
// times as many.
int track_max() noexcept;
inline constexpr int kNodeEntriesPerWorkflow = 4;
// In milliseconds; -1 = off.
int log_min_duration_ms() noexcept;
// The fraction of runs whose nodes are timed for thaiyyal.stat_nodes.
double node_timing_sample_rate() noexcept;

}  // namespace thaiyyal::pg
