#include "models/plan.hpp"

#include "models/confidence.hpp"
#include "models/json_input.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace leptonsim::models {

namespace {

std::string_view trim(std::string_view s)
{
  while (!s.empty() && s.front() == ' ')
    s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ')
    s.remove_suffix(1);
  return s;
}

std::optional<double> to_number(std::string_view s)
{
  s = trim(s);
  double value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(value))
    return std::nullopt;
  return value;
}

}  // namespace

Slo parse_slo(std::string_view text)
{
  auto fail = [&](const std::string& why) -> Slo {
    throw InputError("--slo", "", fmt::format("'{}': {}", text, why));
  };
  const size_t at = text.find_first_of("<>");
  if (at == std::string_view::npos)
    return fail("expected METRIC<VALUE, METRIC<=VALUE, METRIC>VALUE or METRIC>=VALUE, with METRIC a JSON pointer "
                "into summary.json, e.g. '/metrics/latency_s/p99<0.1'");
  Slo slo;
  slo.text   = std::string(text);
  slo.metric = std::string(trim(text.substr(0, at)));
  const bool equal = at + 1 < text.size() && text[at + 1] == '=';
  slo.op = text[at] == '<' ? (equal ? Slo::Op::less_equal : Slo::Op::less)
                           : (equal ? Slo::Op::greater_equal : Slo::Op::greater);
  if (slo.metric.empty() || slo.metric.front() != '/')
    return fail("the metric must be a JSON pointer into summary.json, starting with '/' (e.g. /metrics/latency_s/p99)");
  const auto bound = to_number(text.substr(at + (equal ? 2 : 1)));
  if (!bound)
    return fail("the bound after the comparison must be a number (in the metric's unit, e.g. seconds)");
  slo.bound = *bound;
  return slo;
}

std::vector<double> parse_range(std::string_view text, double step)
{
  const size_t colon = text.find(':');
  const auto lo      = colon == std::string_view::npos ? std::nullopt : to_number(text.substr(0, colon));
  const auto hi      = colon == std::string_view::npos ? std::nullopt : to_number(text.substr(colon + 1));
  if (!lo || !hi)
    throw InputError("--range", "", fmt::format("'{}': expected LO:HI with two numbers, e.g. 2:16", text));
  if (*lo > *hi)
    throw InputError("--range", "", fmt::format("'{}': the range is empty (LO is above HI)", text));
  if (!(step > 0))
    throw InputError("--step", "", fmt::format("{}: the step must be positive", step));
  const double span = (*hi - *lo) / step;
  if (span > 100000)
    throw InputError("--range", "", fmt::format("'{}': more than 100000 values at step {}", text, step));
  std::vector<double> values;
  const auto n = static_cast<size_t>(std::floor(span + 1e-9)) + 1;
  for (size_t i = 0; i < n; ++i)
    values.push_back(*lo + static_cast<double>(i) * step);
  return values;
}

SloVerdict judge(const Slo& slo, std::span<const double> samples, double confidence)
{
  SloVerdict v;
  const SampleSummary s = summarize(samples);
  v.mean   = s.mean;
  v.tested = s.mean;
  const bool upper = slo.op == Slo::Op::less || slo.op == Slo::Op::less_equal;
  if (s.n >= 2 && s.sd) {
    const double half = student_t_quantile(confidence, static_cast<double>(s.n - 1)) * *s.sd /
                        std::sqrt(static_cast<double>(s.n));
    v.tested = upper ? s.mean + half : s.mean - half;
  }
  switch (slo.op) {
    case Slo::Op::less: v.holds = v.tested < slo.bound; break;
    case Slo::Op::less_equal: v.holds = v.tested <= slo.bound; break;
    case Slo::Op::greater: v.holds = v.tested > slo.bound; break;
    case Slo::Op::greater_equal: v.holds = v.tested >= slo.bound; break;
  }
  return v;
}

PlanSearch::PlanSearch(size_t count, Method method) : count_(count), method_(method), feasible_(count)
{
  if (count == 0) {
    done_   = true;
    reason_ = "there is no value to try";
  }
  hi_ = count > 0 ? count - 1 : 0;
}

std::vector<size_t> PlanSearch::next(size_t batch)
{
  std::vector<size_t> out;
  if (done_)
    return out;
  if (method_ == Method::bisect) {
    if (!feasible_[count_ - 1])
      out.push_back(count_ - 1);
    else if (!feasible_[0])
      out.push_back(0);
    else
      out.push_back(lo_ + (hi_ - lo_) / 2);
    return out;
  }
  // Scan: the unevaluated values below the smallest one known to meet the SLOs, in order.
  size_t limit = count_;
  for (size_t i = 0; i < count_; ++i)
    if (feasible_[i] == true) {
      limit = i;
      break;
    }
  for (size_t i = 0; i < limit && out.size() < std::max<size_t>(batch, 1); ++i)
    if (!feasible_[i])
      out.push_back(i);
  return out;
}

void PlanSearch::record(size_t index, bool feasible)
{
  if (index >= count_)
    return;
  if (!feasible_[index])
    ++evaluated_count_;
  feasible_[index] = feasible;
  check_monotone();
  settle();
}

void PlanSearch::check_monotone()
{
  // A value that meets the SLOs below one that misses them: the metric is not monotone here.
  std::optional<size_t> first_feasible;
  for (size_t i = 0; i < count_; ++i) {
    if (feasible_[i] == true && !first_feasible)
      first_feasible = i;
    if (feasible_[i] == false && first_feasible) {
      if (!non_monotone_ || method_ == Method::bisect) {
        non_monotone_ = true;
        method_       = Method::scan;
        done_         = false;
      }
      return;
    }
  }
}

void PlanSearch::settle()
{
  if (method_ == Method::bisect) {
    const auto& top    = feasible_[count_ - 1];
    const auto& bottom = feasible_[0];
    if (top == false) {
      done_   = true;
      answer_.reset();
      reason_ = "even the largest value misses the SLOs";
      return;
    }
    if (!top || !bottom)
      return;
    if (*bottom) {
      done_   = true;
      answer_ = 0;
      reason_ = "the smallest value already meets the SLOs";
      return;
    }
    // lo_ misses and hi_ meets: narrow the bracket with what was just learnt.
    lo_ = 0;
    hi_ = count_ - 1;
    for (size_t i = 0; i < count_; ++i) {
      if (feasible_[i] == false)
        lo_ = std::max(lo_, i);
      if (feasible_[i] == true && i < hi_)
        hi_ = i;
    }
    if (hi_ - lo_ <= 1) {
      done_   = true;
      answer_ = hi_;
      reason_ = "bisection closed: the value below the answer misses the SLOs and the answer meets them";
    }
    return;
  }
  std::optional<size_t> first_feasible;
  for (size_t i = 0; i < count_; ++i)
    if (feasible_[i] == true) {
      first_feasible = i;
      break;
    }
  const size_t limit = first_feasible ? *first_feasible : count_;
  for (size_t i = 0; i < limit; ++i)
    if (!feasible_[i])
      return;  // something below is still unknown
  done_   = true;
  answer_ = first_feasible;
  reason_ = first_feasible ? (non_monotone_ ? "scan closed (the SLOs are not monotone in this parameter: a larger "
                                              "value missed them after a smaller one met them)"
                                            : "scan closed: every smaller value misses the SLOs")
                           : "no value in the range meets the SLOs";
}

}  // namespace leptonsim::models
