// A parameter sweep: a base scenario, parameters given as JSON pointers into it (a cartesian grid
// and/or lists that advance together), replications with derived seeds, and the summary.json
// values to collect. Read and checked here; running each run as a child process is tools/' job.
#pragma once

#include "models/json_input.hpp"
#include "models/overrides.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leptonsim::models {

struct SweepParameter {
  std::string name;     // column in sweep.csv
  std::string pointer;  // into the scenario
  std::vector<Json> values;
};

struct SweepMetric {
  std::string name;     // column in sweep.csv
  std::string pointer;  // into summary.json
};

// One simulation of a sweep: run `index` is replication `index % replications` of point
// `index / replications`, so the runs of one point are neighbours in sweep.csv.
struct SweepRun {
  size_t index = 0;
  size_t point = 0;
  size_t replication = 0;
};

struct Sweep {
  std::string file;               // the sweep file, for messages
  std::string name;
  std::string description;
  std::string scenario_file;      // the base scenario's path, resolved against the sweep file's folder
  Json scenario_document;         // the base scenario as read, before any override
  std::vector<Override> fixed;    // "set": applied to every run before the parameters
  std::vector<SweepParameter> grid;
  std::vector<SweepParameter> zip;
  size_t replications = 1;
  uint64_t seed = 1;              // replication seeds derive from it
  std::vector<SweepMetric> metrics;
  std::optional<double> timeout;  // s, per run
  Json document;                  // the sweep file as read

  // Points are numbered like nested loops: the first grid parameter is the outermost loop, the
  // zipped lists (one value from each) the innermost.
  size_t point_count() const;
  size_t run_count() const { return point_count() * replications; }
  SweepRun run(size_t index) const { return {index, index / replications, index % replications}; }
  std::vector<const SweepParameter*> parameters() const;  // grid, then zip: sweep.csv's parameter columns
  std::vector<Json> point_values(size_t point) const;     // one per parameters() entry
  std::vector<Override> run_overrides(size_t point) const;  // `fixed`, then the point's values
  uint64_t replication_seed(size_t replication) const;
  // Equal for two sweeps that compute the same runs: the sweep document without its "scenario"
  // path, and the base scenario's content. A results folder belongs to one digest.
  std::string digest() const;
};

// The most runs one sweep may have, so that a mistyped grid does not fill a disk.
inline constexpr size_t max_sweep_runs = 1000000;

// Checks everything that can be checked without simulating; throws InputError listing every
// problem as "file: /json/pointer: message". Parameter pointers must name a value of the base
// scenario (after "set"), or a new key or array element under one that exists.
Sweep parse_sweep(const Json& document, const std::string& file, const Json& scenario_document,
                  const std::string& scenario_file);

// Reads the sweep file and the base scenario it names (relative to the sweep file's folder).
Sweep load_sweep(const std::string& path);

// The share of a sweep's runs that one process runs: run k belongs to shard (k mod count) + 1,
// so that every shard gets points from every region of the grid.
struct Shard {
  size_t index = 1;  // 1-based, as Slurm array task ids usually are
  size_t count = 1;
  bool contains(size_t run) const { return run % count == index - 1; }
};

// "I/N" with 1 <= I <= N; throws InputError (file "--shard").
Shard parse_shard(const std::string& text);

// Why `pointer` names nothing in `doc`, or "" when it names a value. With `may_extend`, a new key
// of an existing object or the next element of an existing array counts too, as for an override.
// Messages call the document `what` ("the base scenario", "summary.json") and suggest the nearest
// key for a misspelt one.
std::string pointer_problem(const Json& doc, const std::string& pointer, std::string_view what, bool may_extend);

// "/platform/sites/0/count" -> "platform.sites.0.count": the default column name of a pointer.
std::string column_name_of(const std::string& pointer);

}  // namespace leptonsim::models
