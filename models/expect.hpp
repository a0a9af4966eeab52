// Expectations: bounds on summary.json values that `run --check` verifies, so that a scenario
// carries the results theory says it must produce (in the spirit of Batsim's expected outputs).
#pragma once

#include "models/json_input.hpp"
#include "models/scenario.hpp"

#include <string>
#include <vector>

namespace leptonsim::models {

struct ExpectationResult {
  const Expectation* expectation = nullptr;
  bool passed = false;
  std::string actual;  // the value found, as JSON text ("missing" when the pointer names nothing)
  std::string detail;  // the bound that failed, or empty
};

std::vector<ExpectationResult> check_expectations(const std::vector<Expectation>& expectations, const Json& summary);

// Problems with expectations that name values summary.json will not have. `skeleton` is a summary
// with every key the run will write.
std::vector<Diagnostic> unknown_metrics(const std::vector<Expectation>& expectations, const Json& skeleton);

}  // namespace leptonsim::models
