#include "models/expect.hpp"

#include <fmt/core.h>

namespace leptonsim::models {
namespace {

const Json* find(const Json& doc, const std::string& pointer)
{
  try {
    const Json::json_pointer ptr(pointer);
    if (!doc.contains(ptr))
      return nullptr;
    return &doc.at(ptr);
  } catch (const Json::exception&) {
    return nullptr;
  }
}

}  // namespace

std::vector<ExpectationResult> check_expectations(const std::vector<Expectation>& expectations, const Json& summary)
{
  std::vector<ExpectationResult> results;
  for (const auto& e : expectations) {
    ExpectationResult r;
    r.expectation  = &e;
    const Json* v  = find(summary, e.metric);
    if (!v) {
      r.actual = "missing";
      r.detail = "summary.json has no value at " + e.metric;
      results.push_back(r);
      continue;
    }
    r.actual = v->dump();
    r.passed = true;
    if (e.equals && *v != *e.equals) {
      // Numbers written as 5 and 5.0 compare equal.
      const bool both_numbers = v->is_number() && e.equals->is_number();
      if (!both_numbers || v->get<double>() != e.equals->get<double>()) {
        r.passed = false;
        r.detail = "expected " + e.equals->dump();
      }
    }
    if (e.min || e.max) {
      if (!v->is_number()) {
        r.passed = false;
        r.detail = "is not a number, so min/max cannot apply";
      } else {
        const double x = v->get<double>();
        if (e.min && !(x >= *e.min)) {
          r.passed = false;
          r.detail = fmt::format("below min {}", *e.min);
        }
        if (e.max && !(x <= *e.max)) {
          r.passed = false;
          r.detail = fmt::format("above max {}", *e.max);
        }
      }
    }
    results.push_back(r);
  }
  return results;
}

std::vector<Diagnostic> unknown_metrics(const std::vector<Expectation>& expectations, const Json& skeleton)
{
  std::vector<Diagnostic> problems;
  for (const auto& e : expectations) {
    if (!find(skeleton, e.metric))
      problems.push_back({e.pointer, "summary.json will have no value at '" + e.metric +
                                         "'; see docs/outputs.md for the metrics a run writes"});
  }
  return problems;
}

}  // namespace leptonsim::models
