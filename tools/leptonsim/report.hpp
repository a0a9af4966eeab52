// What the command line prints: a short table of simulated figures beside the analytic ones, the
// analytic model alone (`leptonsim model`), and the outcome of expectation checks.
#pragma once

#include "models/expect.hpp"
#include "models/scenario.hpp"
#include "sim/run_result.hpp"

#include <ostream>
#include <string>
#include <vector>

namespace leptonsim::cli {

void print_run_report(std::ostream& out, const models::Scenario& scenario, const sim::RunResult& result,
                      double wall_seconds, const std::string& results_dir);
void print_model_report(std::ostream& out, const models::Scenario& scenario);
void print_validation(std::ostream& out, const models::Scenario& scenario);
// Returns true when every expectation held.
bool print_check(std::ostream& out, const std::vector<models::ExpectationResult>& results);

}  // namespace leptonsim::cli
