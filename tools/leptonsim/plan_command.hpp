// `leptonsim plan`: the smallest value of one scenario parameter for which every service-level
// objective holds, found by simulating as few values as it can (docs/planning.md).
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

namespace leptonsim::cli {

struct PlanArgs {
  std::string file;
  std::vector<std::string> sets;
  std::string vary;
  std::string range;
  double step = 1;
  std::vector<std::string> slos;
  std::string minimise = "count";
  std::string search   = "bisect";
  size_t seeds         = 1;
  double confidence    = 0.95;
  std::string out;
  std::optional<size_t> jobs;
  bool quiet = false;
};

CLI::App* add_plan_command(CLI::App& app, PlanArgs& args);

// 0 when a value meets every SLO, 1 when none in the range does; bad input throws
// models::InputError.
int plan_command(const PlanArgs& args);

}  // namespace leptonsim::cli
