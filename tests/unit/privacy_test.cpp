// Differential privacy, secure aggregation, MPC and homomorphic encryption as cost and budget
// models, checked against their closed forms.
#include "models/dp.hpp"
#include "models/homomorphic.hpp"
#include "models/mpc.hpp"
#include "models/secure_aggregation.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace leptonsim::models;

TEST_CASE("the Laplace and Gaussian mechanisms are calibrated as Dwork and Roth say")
{
  CHECK(laplace_scale(2.0, 0.5) == doctest::Approx(4.0));
  // sigma = sensitivity * sqrt(2 ln(1.25 / delta)) / epsilon
  const double sigma = gaussian_sigma(1.0, 0.5, 1e-5);
  CHECK(sigma == doctest::Approx(std::sqrt(2.0 * std::log(125000.0)) / 0.5));
  CHECK(sigma == doctest::Approx(9.6896).epsilon(1e-4));
  CHECK(gaussian_epsilon(1.0, sigma, 1e-5) == doctest::Approx(0.5));
  DpMechanism m;
  m.values      = 10;
  m.noise_flops = 40;
  CHECK(m.flops() == 400);
}

TEST_CASE("basic composition adds epsilons and deltas exactly")
{
  for (uint64_t k : {1u, 2u, 7u, 100u, 12345u}) {
    const auto c = basic_composition(0.1, 1e-7, k);
    CHECK(c.epsilon == doctest::Approx(0.1 * static_cast<double>(k)).epsilon(1e-15));
    CHECK(c.delta == doctest::Approx(1e-7 * static_cast<double>(k)).epsilon(1e-15));
  }
  DpMechanism laplace{DpMechanismKind::laplace, 1.0, 0.25};
  PrivacyBudget budget{2.0, 1e-5, Accounting::basic, OnExhausted::stop};
  CHECK(privacy_spent(laplace, 8, budget).epsilon == doctest::Approx(2.0));
  CHECK(releases_within_budget(laplace, budget) == 8);  // the ninth release would spend 2.25
  budget.epsilon = 2.2;
  CHECK(releases_within_budget(laplace, budget) == 8);
}

TEST_CASE("advanced composition follows Dwork, Rothblum and Vadhan and beats basic for many small steps")
{
  const double eps = 0.01, dp = 1e-6;
  const uint64_t k = 10000;
  const auto a     = advanced_composition(eps, 0.0, k, dp);
  CHECK(a.epsilon == doctest::Approx(std::sqrt(2.0 * 10000 * std::log(1e6)) * 0.01 + 10000 * 0.01 * std::expm1(0.01)));
  CHECK(a.epsilon == doctest::Approx(6.2615).epsilon(1e-4));  // 5.2565 + 1.0050
  CHECK(a.delta == doctest::Approx(1e-6));
  CHECK(a.epsilon < basic_composition(eps, 0.0, k).epsilon);  // 6.27 against 100
  // For few steps the basic bound is smaller, and the accountant keeps the smaller one.
  DpMechanism laplace{DpMechanismKind::laplace, 1.0, 0.5};
  const PrivacyBudget budget{10.0, 1e-5, Accounting::advanced, OnExhausted::stop};
  CHECK(privacy_spent(laplace, 3, budget).epsilon == doctest::Approx(1.5));
  CHECK(privacy_spent(laplace, 3, budget).delta == 0.0);
}

TEST_CASE("the Renyi accountant gives alpha sensitivity^2 / (2 sigma^2) per Gaussian step")
{
  for (double alpha : {1.5, 2.0, 8.0, 32.0, 256.0}) {
    CHECK(gaussian_rdp(alpha, 1.0, 2.0) == doctest::Approx(alpha / 8.0));
    CHECK(gaussian_rdp(alpha, 3.0, 2.0) == doctest::Approx(alpha * 9.0 / 8.0));
    RdpAccountant acc;
    acc.add_gaussian(1.0, 2.0, 50);
    CHECK(acc.rdp(alpha) == doctest::Approx(50 * alpha / 8.0));
  }
}

TEST_CASE("RDP converts to (epsilon, delta) as epsilon_RDP(alpha) + ln(1/delta) / (alpha - 1), minimised over alpha")
{
  RdpAccountant acc;
  acc.add_gaussian(1.0, 4.0, 100);  // c = 100 / 32 = 3.125 per unit of alpha
  const double delta = 1e-5, L = std::log(1e5), c = 100.0 / 32.0;
  const auto loss    = acc.epsilon(delta);
  CHECK(loss.delta == delta);
  // The minimum of c alpha + L / (alpha - 1): at alpha = 1 + sqrt(L / c), epsilon = c + 2 sqrt(c L).
  CHECK(loss.alpha == doctest::Approx(1.0 + std::sqrt(L / c)));
  CHECK(loss.epsilon == doctest::Approx(c + 2.0 * std::sqrt(c * L)));
  CHECK(loss.epsilon == doctest::Approx(rdp_to_dp(acc.rdp(loss.alpha), loss.alpha, delta)));
  // No order does better.
  for (double alpha = 1.01; alpha < 200; alpha *= 1.07)
    CHECK(rdp_to_dp(acc.rdp(alpha), alpha, delta) >= loss.epsilon * (1 - 1e-12));
}

TEST_CASE("the numerical minimisation over orders agrees with the Gaussian closed form, and handles Laplace")
{
  // A Laplace step adds its own curve; with a negligible one the optimum barely moves.
  RdpAccountant mixed;
  mixed.add_gaussian(1.0, 4.0, 100);
  mixed.add_laplace(1.0, 1e9, 1);  // scale 1e9: almost no privacy loss
  const double c = 100.0 / 32.0, L = std::log(1e5);
  CHECK(mixed.epsilon(1e-5).epsilon == doctest::Approx(c + 2.0 * std::sqrt(c * L)).epsilon(1e-6));
  // Laplace alone: RDP never exceeds the pure epsilon 1/b, and tends to it for large alpha.
  CHECK(laplace_rdp(2.0, 1.0, 2.0) < 0.5);
  CHECK(laplace_rdp(1e4, 1.0, 2.0) == doctest::Approx(0.5).epsilon(1e-3));
  // Mironov 2017, Table II at alpha = 2, b = 1: log(2/3 e + 1/3 e^-2).
  CHECK(laplace_rdp(2.0, 1.0, 1.0) == doctest::Approx(std::log(2.0 / 3.0 * std::exp(1.0) + std::exp(-2.0) / 3.0)));
}

TEST_CASE("a budget allows the most releases whose composed loss stays within it")
{
  DpMechanism g;
  g.kind  = DpMechanismKind::gaussian;
  g.sigma = 1.0;
  const PrivacyBudget budget{8.0, 1e-5, Accounting::rdp, OnExhausted::stop};
  // k releases: c = k / 2, epsilon = k/2 + 2 sqrt(k/2 ln 1e5): k = 2 gives 7.79, k = 3 gives 9.82.
  CHECK(privacy_spent(g, 2, budget).epsilon == doctest::Approx(1 + 2 * std::sqrt(std::log(1e5))));
  CHECK(releases_within_budget(g, budget) == 2);
  CHECK(within_budget(privacy_spent(g, 2, budget), budget));
  CHECK_FALSE(within_budget(privacy_spent(g, 3, budget), budget));
  CHECK(privacy_spent(g, 0, budget).epsilon == 0);
}

TEST_CASE("secure aggregation costs what Bonawitz et al. count: client 2n a_K + (5n - 4) a_S + m ceil(log2 R)")
{
  SecAggParams p;  // a_K = a_S = 32 B, 32-bit values
  const double m = 100000;
  for (uint64_t n : {4u, 16u, 64u, 256u, 1024u}) {
    const auto c  = secure_aggregation_cost(p, n, m);
    const double N = static_cast<double>(n);
    const double masked = std::ceil(m * (32 + std::ceil(std::log2(N))) / 8);
    CHECK(c.client_bytes == doctest::Approx(2 * N * 32 + (5 * N - 4) * 32 + masked));
    CHECK(c.messages == 7 * n);
    CHECK(c.server_bytes == doctest::Approx(N * c.client_bytes));
    CHECK(c.threshold == n / 2 + 1);
  }
}

TEST_CASE("secure aggregation grows as the paper's complexity says: client O(n + m) bytes, server O(n^2 + mn)")
{
  SecAggParams p;
  const double m = 1000;
  // Protocol overhead per client (without the masked input) is linear in n: constant first differences.
  auto overhead = [&](uint64_t n) {
    const auto c = secure_aggregation_cost(p, n, m);
    return c.client_bytes - c.up_bytes[masked_input];
  };
  const double step = overhead(11) - overhead(10);
  CHECK(step == doctest::Approx(2 * 32 + 5 * 32));
  for (uint64_t n : {20u, 100u, 1000u})
    CHECK(overhead(n + 1) - overhead(n) == doctest::Approx(step));
  // Server bytes: second differences of the overhead part are constant (quadratic in n).
  auto server = [&](uint64_t n) { return static_cast<double>(n) * overhead(n); };
  for (uint64_t n : {10u, 100u, 1000u})
    CHECK(server(n + 2) - 2 * server(n + 1) + server(n) == doctest::Approx(2 * step));
  // Doubling n doubles the messages (O(n)) and about quadruples the server's overhead bytes.
  CHECK(secure_aggregation_cost(p, 200, m).messages == 2 * secure_aggregation_cost(p, 100, m).messages);
  CHECK(server(2000) / server(1000) == doctest::Approx(4.0).epsilon(0.01));
  // Client computation O(n^2 + mn): key agreements and shares, then n masks of m values.
  const auto c = secure_aggregation_cost(p, 100, m);
  CHECK(c.client_setup_flops == doctest::Approx(2 * 99 * 3e5 + 2 * 100 * 51 * 150.0));
  CHECK(c.client_mask_flops == doctest::Approx(100 * m * 8));
}

TEST_CASE("dropouts make the server regenerate the dropped clients' pairwise masks: O(m n^2) in the worst case")
{
  SecAggParams p;
  const double m   = 10000;
  const auto none  = secure_aggregation_cost(p, 100, m, 0);
  const auto ten   = secure_aggregation_cost(p, 100, m, 10);
  const double t   = 51;
  CHECK(none.server_flops == doctest::Approx((t * t + 100 * t) * 150 + 100 * m * 8));
  CHECK(ten.server_flops ==
        doctest::Approx((t * t + 100 * t) * 150 + 10 * 90 * 3e5 + (10 * 90 + 90) * m * 8));
  CHECK(ten.messages == 4 * 100 + 3 * 90);
  CHECK(ten.recoverable);
  CHECK_FALSE(secure_aggregation_cost(p, 100, m, 50).recoverable);  // 50 survivors < t = 51
}

TEST_CASE("secret-sharing MPC sends n shares per input and one round per multiplicative layer")
{
  MpcParams p;
  p.parties         = 3;
  p.multiplications = 1000;
  p.depth           = 10;
  const auto c      = mpc_cost(p, 8000, 1e6);
  CHECK(c.input_bytes == 24000);
  CHECK(c.opening_bytes == 2 * 100 * 8);
  CHECK(c.online_bytes == doctest::Approx(2 * 1000 * 3 * 2 * 8));
  CHECK(c.rounds == 12);
  CHECK(c.messages == 3 + 10 * 6 + 2);
  CHECK(c.party_flops == 1e6 + 7 * 1000);
  p.parties = 5;
  CHECK(mpc_cost(p, 8000, 1e6).input_bytes == 40000);
  CHECK(mpc_cost(p, 8000, 1e6).online_bytes == doctest::Approx(2 * 1000 * 5 * 4 * 8));
}

TEST_CASE("homomorphic encryption presets follow from their parameters")
{
  // CKKS: 2 polynomials of 8192 coefficients of 200 bits hold 4096 values of 4 bytes.
  CHECK(ckks_expansion(8192, 200, 4) == doctest::Approx(2.0 * 8192 * 200 / 8 / (4096 * 4)));
  CHECK(he_preset("ckks")->expansion == doctest::Approx(25));
  // Paillier: 4096 bits of ciphertext per 32-bit value.
  CHECK(paillier_expansion(2048, 4) == doctest::Approx(128));
  CHECK(he_preset("paillier")->expansion == doctest::Approx(128));
  CHECK(he_preset("paillier")->add_slowdown > he_preset("ckks")->add_slowdown);
  CHECK_FALSE(he_preset("bfv"));
}
