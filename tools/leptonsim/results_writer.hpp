// The results folder of a run: summary.json, nodes.csv, timeline.csv and tasks.csv. Everything is
// written into a temporary sibling folder that is renamed into place only once complete, so an
// interrupted run never leaves a folder that looks finished.
#pragma once

#include "models/json_input.hpp"
#include "models/scenario.hpp"
#include "sim/run_result.hpp"

#include <filesystem>
#include <string>

namespace leptonsim::cli {

// Every headline figure of a run beside the analytic predictions. With a shell result (zeros) it
// is the skeleton that `validate` checks expectations against.
models::Json build_summary(const models::Scenario& scenario, const sim::RunResult& result);

// A latency or lateness distribution as summary.json writes it: count, mean, min, p50, p95, p99, max.
models::Json distribution(const sim::Distribution& d);

// The money the run's period cost, item by item and per node (models/costs.hpp).
models::CostBreakdown run_costs(const models::Scenario& scenario, const sim::RunResult& result);
std::string nodes_csv(const models::Scenario& scenario, const sim::RunResult& result);
// Node failures, repairs and the failure detector's verdicts, in time order (runs with faults).
std::string events_csv(const models::Scenario& scenario, const sim::RunResult& r);
std::string timeline_csv(const sim::RunResult& result);

class ResultsFolder {
public:
  // Refuses (InputError) a destination that exists and is not a leptonsim results folder.
  explicit ResultsFolder(std::filesystem::path destination);
  ~ResultsFolder();
  ResultsFolder(const ResultsFolder&) = delete;
  ResultsFolder& operator=(const ResultsFolder&) = delete;

  const std::filesystem::path& staging() const { return staging_; }
  const std::filesystem::path& destination() const { return destination_; }
  void write(const std::string& name, const std::string& content) const;
  // Where to write a file the user asked for at `path` (a trace): inside the staging folder when
  // `path` lies in the destination, so that it arrives with the results instead of being replaced
  // by them; `path` itself otherwise.
  std::filesystem::path place(const std::filesystem::path& path) const;
  // Moves the finished folder into place, replacing a previous run's results.
  void commit();

private:
  std::filesystem::path destination_;
  std::filesystem::path staging_;
  bool committed_ = false;
};

}  // namespace leptonsim::cli
