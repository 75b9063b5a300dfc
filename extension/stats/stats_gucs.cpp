// Parameters of statistics and the slow-run log (stats_gucs.hpp).
#include "extension/stats/stats_gucs.hpp"

#include <climits>

#include "extension/boundary/pg_includes.hpp"

namespace thaiyyal::pg {

namespace {

int guc_track = static_cast<int>(Track::Top);
int guc_track_max = 1000;
int guc_log_min_duration = -1;
double guc_node_timing_sample_rate = 0.0625;

const struct config_enum_entry kTrackOptions[] = {
    {"none", static_cast<int>(Track::None), false},
    {"top", static_cast<int>(Track::Top), false},
    {"all", static_cast<int>(Track::All), false},
    {nullptr, 0, false},
};

}  // namespace

void define_stats_gucs() noexcept {
  // PostgreSQL refuses (FATAL, ending the session) a PGC_POSTMASTER parameter
  // defined after startup: loaded on demand (CREATE EXTENSION or LOAD without
  // shared_preload_libraries) the library has no shared statistics, and
  // track_max only describes what a preloading server would size.
  const GucContext startup =
      process_shared_preload_libraries_in_progress ? PGC_POSTMASTER : PGC_SUSET;
  DefineCustomEnumVariable(
      "thaiyyal.track", "Which workflow runs thaiyyal.stat_workflows and stat_nodes count.",
      "none: nothing; top: every run, nodes per node type; all: also every node of stored "
      "workflows. Needs the library in shared_preload_libraries.",
      &guc_track, guc_track, kTrackOptions, PGC_SUSET, 0, nullptr, nullptr, nullptr);
  DefineCustomIntVariable("thaiyyal.track_max",
                          "Workflows counted in thaiyyal.stat_workflows at most (the least used "
                          "are evicted); node entries at most four times as many.",
                          nullptr, &guc_track_max, guc_track_max, 100, 1000000, startup, 0, nullptr,
                          nullptr, nullptr);
  DefineCustomIntVariable("thaiyyal.log_min_duration",
                          "Logs every workflow run that took at least this long, with its "
                          "slowest nodes (-1 = off, 0 = every run).",
                          nullptr, &guc_log_min_duration, guc_log_min_duration, -1, INT_MAX,
                          PGC_SUSET, GUC_UNIT_MS, nullptr, nullptr, nullptr);
  DefineCustomRealVariable(
      "thaiyyal.node_timing_sample_rate",
      "Fraction of tracked runs whose nodes are timed for thaiyyal.stat_nodes.",
      "Timing a node costs two clock reads; the other runs count executions, skips and failures "
      "only. Runs are always timed while thaiyyal.log_min_duration is on.",
      &guc_node_timing_sample_rate, guc_node_timing_sample_rate, 0.0, 1.0, PGC_SUSET, 0, nullptr,
      nullptr, nullptr);
}

Track track_level() noexcept {
  return static_cast<Track>(guc_track);
}

int track_max() noexcept {
  return guc_track_max;
}

int log_min_duration_ms() noexcept {
  return guc_log_min_duration;
}

double node_timing_sample_rate() noexcept {
  return guc_node_timing_sample_rate;
}

}  // namespace thaiyyal::pg
