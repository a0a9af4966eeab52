#include "models/dp.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace leptonsim::models {

double DpMechanism::scale() const
{
  return kind == DpMechanismKind::laplace ? laplace_scale(sensitivity, epsilon) : sigma;
}

double laplace_scale(double sensitivity, double epsilon) { return sensitivity / epsilon; }

double gaussian_sigma(double sensitivity, double epsilon, double delta)
{
  return sensitivity * std::sqrt(2.0 * std::log(1.25 / delta)) / epsilon;
}

double gaussian_epsilon(double sensitivity, double sigma, double delta)
{
  return sensitivity * std::sqrt(2.0 * std::log(1.25 / delta)) / sigma;
}

double gaussian_rdp(double alpha, double sensitivity, double sigma)
{
  return alpha * sensitivity * sensitivity / (2.0 * sigma * sigma);
}

double laplace_rdp(double alpha, double sensitivity, double b)
{
  const double l = b / sensitivity;
  // log(p e^x + q e^y) without overflow.
  const double x  = std::log(alpha / (2.0 * alpha - 1.0)) + (alpha - 1.0) / l;
  const double y  = std::log((alpha - 1.0) / (2.0 * alpha - 1.0)) - alpha / l;
  const double hi = std::max(x, y);
  return (hi + std::log1p(std::exp(std::min(x, y) - hi))) / (alpha - 1.0);
}

double rdp_to_dp(double rdp, double alpha, double delta) { return rdp + std::log(1.0 / delta) / (alpha - 1.0); }

PrivacyLoss basic_composition(double epsilon, double delta, uint64_t k)
{
  const double n = static_cast<double>(k);
  return {n * epsilon, n * delta, 0.0};
}

PrivacyLoss advanced_composition(double epsilon, double delta, uint64_t k, double delta_prime)
{
  const double n = static_cast<double>(k);
  return {std::sqrt(2.0 * n * std::log(1.0 / delta_prime)) * epsilon + n * epsilon * std::expm1(epsilon),
          n * delta + delta_prime, 0.0};
}

void RdpAccountant::add_gaussian(double sensitivity, double sigma, uint64_t steps)
{
  gaussian_ += static_cast<double>(steps) * sensitivity * sensitivity / (2.0 * sigma * sigma);
}

void RdpAccountant::add_laplace(double sensitivity, double b, uint64_t steps)
{
  const double lambda = b / sensitivity;
  for (auto& l : laplace_)
    if (l.lambda == lambda) {
      l.steps += steps;
      return;
    }
  laplace_.push_back({lambda, steps});
}

void RdpAccountant::add(const DpMechanism& m, uint64_t steps)
{
  if (m.kind == DpMechanismKind::gaussian)
    add_gaussian(m.sensitivity, m.sigma, steps);
  else
    add_laplace(m.sensitivity, m.scale(), steps);
}

double RdpAccountant::rdp(double alpha) const
{
  double r = gaussian_ * alpha;
  for (const auto& l : laplace_)
    r += static_cast<double>(l.steps) * laplace_rdp(alpha, 1.0, l.lambda);
  return r;
}

PrivacyLoss RdpAccountant::epsilon(double delta) const
{
  const double L = std::log(1.0 / delta);
  if (empty())
    return {0.0, 0.0, 0.0};
  if (laplace_.empty()) {
    // c * alpha + L / (alpha - 1) is convex; its minimum is at alpha - 1 = sqrt(L / c).
    const double c = gaussian_;
    return {c + 2.0 * std::sqrt(c * L), delta, 1.0 + std::sqrt(L / c)};
  }
  // f(alpha) over x = log(alpha - 1): a dense grid, then golden-section search around the best point.
  auto f = [&](double x) {
    const double alpha = 1.0 + std::exp(x);
    return rdp_to_dp(rdp(alpha), alpha, delta);
  };
  const double lo = std::log(1e-4), hi = std::log(1e6);
  constexpr int points = 2000;
  const double step = (hi - lo) / (points - 1);
  int best          = 0;
  double best_value = std::numeric_limits<double>::infinity();
  for (int i = 0; i < points; ++i) {
    const double v = f(lo + i * step);
    if (v < best_value) {
      best_value = v;
      best       = i;
    }
  }
  double a = lo + std::max(0, best - 1) * step;
  double b = lo + std::min(points - 1, best + 1) * step;
  const double phi = (std::sqrt(5.0) - 1.0) / 2.0;
  double c = b - phi * (b - a), d = a + phi * (b - a);
  double fc = f(c), fd = f(d);
  for (int i = 0; i < 200 && b - a > 1e-12; ++i) {
    if (fc < fd) {
      b  = d;
      d  = c;
      fd = fc;
      c  = b - phi * (b - a);
      fc = f(c);
    } else {
      a  = c;
      c  = d;
      fc = fd;
      d  = a + phi * (b - a);
      fd = f(d);
    }
  }
  const double x = fc < fd ? c : d;
  const double v = std::min({fc, fd, best_value});
  return {v, delta, 1.0 + std::exp(v == best_value ? lo + best * step : x)};
}

namespace {

// The (epsilon, delta) of one release, for basic and advanced composition.
PrivacyLoss per_release(const DpMechanism& m)
{
  if (m.kind == DpMechanismKind::laplace)
    return {m.epsilon, 0.0, 0.0};
  if (m.epsilon > 0)
    return {m.epsilon, m.delta, 0.0};
  if (m.delta > 0)
    return {gaussian_epsilon(m.sensitivity, m.sigma, m.delta), m.delta, 0.0};
  return {std::numeric_limits<double>::infinity(), 1.0, 0.0};
}

}  // namespace

PrivacyLoss privacy_spent(const DpMechanism& m, uint64_t releases, const PrivacyBudget& budget)
{
  if (releases == 0)
    return {};
  const PrivacyLoss one = per_release(m);
  switch (budget.accounting) {
    case Accounting::basic:
      return basic_composition(one.epsilon, one.delta, releases);
    case Accounting::advanced: {
      const PrivacyLoss basic = basic_composition(one.epsilon, one.delta, releases);
      const double slack      = budget.delta - basic.delta;
      if (slack <= 0)
        return basic;
      const PrivacyLoss advanced = advanced_composition(one.epsilon, one.delta, releases, slack);
      return advanced.epsilon < basic.epsilon ? advanced : basic;
    }
    case Accounting::rdp: {
      RdpAccountant accountant;
      accountant.add(m, releases);
      return accountant.epsilon(budget.delta);
    }
  }
  return {};
}

bool within_budget(const PrivacyLoss& spent, const PrivacyBudget& budget)
{
  return spent.epsilon <= budget.epsilon * (1 + 1e-12) && spent.delta <= budget.delta * (1 + 1e-12);
}

uint64_t releases_within_budget(const DpMechanism& m, const PrivacyBudget& budget)
{
  constexpr uint64_t cap = uint64_t{1} << 40;
  auto fits              = [&](uint64_t k) { return within_budget(privacy_spent(m, k, budget), budget); };
  if (!fits(1))
    return 0;
  uint64_t lo = 1, hi = 2;
  while (hi < cap && fits(hi)) {
    lo = hi;
    hi *= 2;
  }
  if (hi >= cap && fits(cap))
    return cap;
  while (hi - lo > 1) {  // fits(lo), !fits(hi)
    const uint64_t mid = lo + (hi - lo) / 2;
    (fits(mid) ? lo : hi) = mid;
  }
  return lo;
}

const char* to_string(DpMechanismKind k) { return k == DpMechanismKind::laplace ? "laplace" : "gaussian"; }
const char* to_string(Accounting a)
{
  switch (a) {
    case Accounting::basic:
      return "basic";
    case Accounting::advanced:
      return "advanced";
    case Accounting::rdp:
      return "rdp";
  }
  return "?";
}
const char* to_string(OnExhausted o) { return o == OnExhausted::stop ? "stop" : "flag"; }

}  // namespace leptonsim::models
