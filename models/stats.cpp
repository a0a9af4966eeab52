#include "models/stats.hpp"

#include <algorithm>
#include <cmath>

namespace leptonsim::models {

QuantileSketch::QuantileSketch(double relative_accuracy, double smallest)
    : gamma_((1 + relative_accuracy) / (1 - relative_accuracy)), log_gamma_(std::log(gamma_)), smallest_(smallest)
{
}

void QuantileSketch::add(double value)
{
  ++count_;
  if (count_ == 1) {
    min_ = max_ = value;
  } else {
    min_ = std::min(min_, value);
    max_ = std::max(max_, value);
  }
  sum_ += value;
  const double delta = value - mean_;
  mean_ += delta / static_cast<double>(count_);
  m2_ += delta * (value - mean_);
  if (value < smallest_) {
    ++below_smallest_;
    return;
  }
  // Bucket i holds (smallest * gamma^(i-1), smallest * gamma^i].
  const auto index = static_cast<size_t>(std::max(0.0, std::ceil(std::log(value / smallest_) / log_gamma_)));
  if (index >= buckets_.size())
    buckets_.resize(index + 1, 0);
  ++buckets_[index];
}

double QuantileSketch::quantile(double q) const
{
  if (count_ == 0)
    return 0.0;
  q = std::clamp(q, 0.0, 1.0);
  if (q <= 0.0)
    return min_;
  if (q >= 1.0)
    return max_;
  const auto rank = static_cast<uint64_t>(std::ceil(q * static_cast<double>(count_)));  // 1-based
  uint64_t seen   = below_smallest_;
  if (rank <= seen)
    return 0.0;
  for (size_t i = 0; i < buckets_.size(); ++i) {
    seen += buckets_[i];
    if (seen >= rank) {
      // The value with relative error at most (gamma - 1) / (gamma + 1) for the whole bucket.
      const double upper = smallest_ * std::pow(gamma_, static_cast<double>(i));
      const double value = 2.0 * upper / (gamma_ + 1.0);
      return std::clamp(value, min_, max_);
    }
  }
  return max_;
}

void QuantileSketch::merge(const QuantileSketch& other)
{
  if (other.count_ == 0)
    return;
  if (count_ == 0) {
    *this = other;
    return;
  }
  const double n1 = static_cast<double>(count_);
  const double n2 = static_cast<double>(other.count_);
  const double delta = other.mean_ - mean_;
  mean_ += delta * n2 / (n1 + n2);
  m2_ += other.m2_ + delta * delta * n1 * n2 / (n1 + n2);
  count_ += other.count_;
  sum_ += other.sum_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  below_smallest_ += other.below_smallest_;
  if (other.buckets_.size() > buckets_.size())
    buckets_.resize(other.buckets_.size(), 0);
  for (size_t i = 0; i < other.buckets_.size(); ++i)
    buckets_[i] += other.buckets_[i];
}

void TimeIntegral::set(double now, double value)
{
  area_ += value_ * (now - last_);
  last_  = now;
  value_ = value;
  peak_  = std::max(peak_, value);
}

}  // namespace leptonsim::models
