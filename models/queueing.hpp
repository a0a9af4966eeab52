// Closed forms of classical queues, the yardsticks the simulator is checked against:
// M/M/1, M/M/c (Erlang C) and M/D/1 (Pollaczek-Khinchine). lambda: arrivals per second, mu:
// services per second of one server; results in seconds.
#pragma once

namespace leptonsim::models {

// Probability that an arrival waits in an M/M/c queue with offered load a = lambda / mu (Erlang C).
double erlang_c(int servers, double offered_load);

double mm1_wait(double lambda, double mu);               // mean time in queue, rho / (mu - lambda)
double mmc_wait(int servers, double lambda, double mu);  // C(c, a) / (c mu - lambda)
double md1_wait(double lambda, double mu);               // rho / (2 mu (1 - rho))
// Mean sojourn = mean wait + 1 / mu for each of them.

}  // namespace leptonsim::models
