// One run of a scenario: builds the SimGrid platform, drives the workload, returns what was
// measured. SimGrid allows a single engine per process, so run_simulation() may be called once
// per process; tests and sweeps run each simulation in a process of its own.
#pragma once

#include "models/scenario.hpp"
#include "sim/run_result.hpp"
#include "sim/trace_writer.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace leptonsim::sim {

struct RunOptions {
  std::filesystem::path task_log;          // where to stream tasks.csv; empty for none
  std::vector<std::string> simgrid_config;  // extra "name:value" settings passed to SimGrid
  TraceOptions trace;                       // trace-event JSON for Perfetto; path empty for none
};

RunResult run_simulation(const models::Scenario& scenario, const RunOptions& options = {});

// The SimGrid version this binary was built against, e.g. "3.32".
std::string simgrid_version();
// The same with its patch level, e.g. "3.32.0".
std::string simgrid_release();

}  // namespace leptonsim::sim
