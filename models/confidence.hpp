// Summary statistics of a few independent replications: mean, sample standard deviation and the
// 95% confidence interval of the mean from Student's t distribution (n - 1 degrees of freedom),
// which is the right interval for the handful of replications a sweep usually affords.
#pragma once

#include <cstddef>
#include <optional>
#include <span>

namespace leptonsim::models {

struct SampleSummary {
  size_t n = 0;
  double mean = 0;
  std::optional<double> sd;         // needs n >= 2
  std::optional<double> ci95_half;  // t(0.975, n - 1) * sd / sqrt(n); needs n >= 2
};

SampleSummary summarize(std::span<const double> values);

// Quantile p of Student's t distribution with `degrees_of_freedom` >= 1.
double student_t_quantile(double p, double degrees_of_freedom);

}  // namespace leptonsim::models
