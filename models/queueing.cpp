#include "models/queueing.hpp"

#include <cmath>

namespace leptonsim::models {

double erlang_c(int servers, double a)
{
  // Erlang B by its stable recursion, then C = B / (1 - rho (1 - B)).
  double b = 1.0;
  for (int k = 1; k <= servers; ++k)
    b = a * b / (k + a * b);
  const double rho = a / servers;
  return b / (1.0 - rho * (1.0 - b));
}

double mm1_wait(double lambda, double mu)
{
  return (lambda / mu) / (mu - lambda);
}

double mmc_wait(int servers, double lambda, double mu)
{
  return erlang_c(servers, lambda / mu) / (servers * mu - lambda);
}

double md1_wait(double lambda, double mu)
{
  const double rho = lambda / mu;
  return rho / (2.0 * mu * (1.0 - rho));
}

}  // namespace leptonsim::models
