// Streaming statistics whose memory does not grow with the number of samples: exact count, mean,
// variance, min and max, and quantiles from a logarithmic histogram with a relative accuracy
// bound (the DDSketch construction of Masson, Rim and Lee, VLDB 2019).
#pragma once

#include <cstdint>
#include <vector>

namespace leptonsim::models {

class QuantileSketch {
public:
  // Every quantile is returned within `relative_accuracy` of a sample value of the right rank.
  explicit QuantileSketch(double relative_accuracy = 1e-3, double smallest = 1e-9);

  void add(double value);
  uint64_t count() const { return count_; }
  double mean() const { return count_ ? mean_ : 0.0; }
  double variance() const { return count_ > 1 ? m2_ / static_cast<double>(count_ - 1) : 0.0; }
  double min() const { return count_ ? min_ : 0.0; }
  double max() const { return count_ ? max_ : 0.0; }
  double sum() const { return sum_; }
  // q in [0, 1]; nearest-rank definition (the sample of rank ceil(q * n)).
  double quantile(double q) const;
  void merge(const QuantileSketch& other);

private:
  double gamma_;
  double log_gamma_;
  double smallest_;
  uint64_t count_ = 0;
  uint64_t below_smallest_ = 0;  // samples under `smallest` (reported as 0)
  double mean_ = 0;
  double m2_   = 0;
  double sum_  = 0;
  double min_  = 0;
  double max_  = 0;
  std::vector<uint64_t> buckets_;
};

// Time average of a piecewise-constant quantity (queue length, busy cores).
class TimeIntegral {
public:
  void set(double now, double value);
  void add(double now, double delta) { set(now, value_ + delta); }
  double value() const { return value_; }
  double integral(double now) const { return area_ + value_ * (now - last_); }
  double peak() const { return peak_; }

private:
  double value_ = 0;
  double last_  = 0;
  double area_  = 0;
  double peak_  = 0;
};

}  // namespace leptonsim::models
