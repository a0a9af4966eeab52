#include "models/confidence.hpp"

#include <boost/math/distributions/students_t.hpp>

#include <cmath>

namespace leptonsim::models {

SampleSummary summarize(std::span<const double> values)
{
  SampleSummary s;
  s.n = values.size();
  if (s.n == 0)
    return s;
  // Two passes: replications are few, and the two-pass variance does not lose digits when the
  // values are large and close together (latencies of 1e5 s that differ by microseconds).
  double sum = 0;
  for (double v : values)
    sum += v;
  s.mean = sum / static_cast<double>(s.n);
  if (s.n < 2)
    return s;
  double squares = 0;
  for (double v : values)
    squares += (v - s.mean) * (v - s.mean);
  s.sd        = std::sqrt(squares / static_cast<double>(s.n - 1));
  s.ci95_half = student_t_quantile(0.975, static_cast<double>(s.n - 1)) * *s.sd / std::sqrt(static_cast<double>(s.n));
  return s;
}

double student_t_quantile(double p, double degrees_of_freedom)
{
  return boost::math::quantile(boost::math::students_t_distribution<double>(degrees_of_freedom), p);
}

}  // namespace leptonsim::models
