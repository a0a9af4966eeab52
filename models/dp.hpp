// Differential privacy as a cost and a budget: the Laplace and Gaussian mechanisms (noise scale,
// flop to draw the noise) and the privacy a run spends when it releases k noisy results, under
// basic composition, advanced composition (Dwork, Rothblum and Vadhan, FOCS 2010) and Rényi DP
// (Mironov, CSF 2017). Formulas and their sources: docs/federated.md#differential-privacy.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace leptonsim::models {

enum class DpMechanismKind { laplace, gaussian };

// One noisy release: `values` numbers, each perturbed by noise calibrated to the sensitivity.
struct DpMechanism {
  DpMechanismKind kind = DpMechanismKind::gaussian;
  double sensitivity = 1;   // L1 (Laplace) or L2 (Gaussian) sensitivity of one release
  double epsilon     = 0;   // Laplace: per release; Gaussian: per release when calibrated from (epsilon, delta)
  double delta       = 0;   // Gaussian: per release, for basic and advanced composition (0: not given)
  double sigma       = 0;   // Gaussian: standard deviation of the noise
  double values      = 1;   // numbers perturbed per release
  double noise_flops = 50;  // flop to draw one noise value
  double scale() const;     // Laplace b = sensitivity / epsilon; Gaussian sigma
  double flops() const { return values * noise_flops; }  // per release
};

// Laplace mechanism (Dwork, McSherry, Nissim and Smith 2006): b = sensitivity / epsilon gives
// epsilon-DP.
double laplace_scale(double sensitivity, double epsilon);
// Gaussian mechanism, classical calibration (Dwork and Roth 2014, Theorem A.1, for epsilon < 1):
// sigma = sensitivity * sqrt(2 ln(1.25 / delta)) / epsilon, and its inverse.
double gaussian_sigma(double sensitivity, double epsilon, double delta);
double gaussian_epsilon(double sensitivity, double sigma, double delta);

// Rényi DP of one release at order alpha > 1 (Mironov 2017, Table II):
//   Gaussian: alpha * sensitivity^2 / (2 sigma^2)
//   Laplace : 1/(alpha-1) * log(alpha/(2 alpha-1) exp((alpha-1)/l) + (alpha-1)/(2 alpha-1) exp(-alpha/l)),
//             with l = b / sensitivity
double gaussian_rdp(double alpha, double sensitivity, double sigma);
double laplace_rdp(double alpha, double sensitivity, double b);
// Mironov 2017, Proposition 3: (alpha, r)-RDP implies (r + ln(1/delta) / (alpha - 1), delta)-DP.
double rdp_to_dp(double rdp, double alpha, double delta);

struct PrivacyLoss {
  double epsilon = 0;
  double delta   = 0;
  double alpha   = 0;  // RDP: the order that gave the smallest epsilon; 0 otherwise
};

// k-fold composition of an (epsilon, delta)-DP mechanism.
// Basic (Dwork and Roth 2014, Theorem 3.16): (k epsilon, k delta), exactly.
PrivacyLoss basic_composition(double epsilon, double delta, uint64_t k);
// Advanced (Dwork, Rothblum and Vadhan 2010; Dwork and Roth Theorem 3.20): for any delta' > 0,
// (sqrt(2 k ln(1/delta')) epsilon + k epsilon (e^epsilon - 1), k delta + delta').
PrivacyLoss advanced_composition(double epsilon, double delta, uint64_t k, double delta_prime);

// Rényi DP composes by adding the curves order by order (Mironov 2017, Proposition 1); the (epsilon,
// delta) it implies is the smallest over orders of rdp_to_dp(). The minimum is taken on a dense grid of
// orders in (1, 1e6] refined by golden-section search; a pure Gaussian curve c * alpha is minimised
// exactly, at alpha = 1 + sqrt(ln(1/delta) / c), where epsilon = c + 2 sqrt(c ln(1/delta)).
class RdpAccountant {
public:
  void add_gaussian(double sensitivity, double sigma, uint64_t steps = 1);
  void add_laplace(double sensitivity, double b, uint64_t steps = 1);
  void add(const DpMechanism& mechanism, uint64_t steps = 1);
  double rdp(double alpha) const;  // the composed curve at order alpha
  PrivacyLoss epsilon(double delta) const;
  bool empty() const { return gaussian_ == 0 && laplace_.empty(); }

private:
  double gaussian_ = 0;  // sum of steps * sensitivity^2 / (2 sigma^2): the Gaussian part is gaussian_ * alpha
  struct Laplace {
    double lambda;  // b / sensitivity
    uint64_t steps;
  };
  std::vector<Laplace> laplace_;
};

enum class Accounting { basic, advanced, rdp };
enum class OnExhausted { stop, flag };

struct PrivacyBudget {
  double epsilon = 1;
  double delta   = 1e-5;
  Accounting accounting = Accounting::rdp;
  OnExhausted on_exhausted = OnExhausted::stop;
};

// What k releases of one mechanism spend under the budget's accounting. Advanced composition uses
// delta' = budget.delta - k * delta (what is left of the budget for the slack term) and never
// reports more than basic composition; RDP converts at the budget's delta.
PrivacyLoss privacy_spent(const DpMechanism& mechanism, uint64_t releases, const PrivacyBudget& budget);
bool within_budget(const PrivacyLoss& spent, const PrivacyBudget& budget);
// The largest number of releases that stays within the budget (capped at 2^40).
uint64_t releases_within_budget(const DpMechanism& mechanism, const PrivacyBudget& budget);

const char* to_string(DpMechanismKind k);
const char* to_string(Accounting a);
const char* to_string(OnExhausted o);

}  // namespace leptonsim::models
