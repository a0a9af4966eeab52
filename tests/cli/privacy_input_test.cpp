// Invalid privacy and federated parameters, as a user meets them: exit 2, "FILE: /json/pointer:
// message" on stderr, and no results folder.
#include "process.hpp"

#include <doctest/doctest.h>

#include <filesystem>

using namespace leptonsim::test;

namespace {

struct BadCase {
  const char* name;
  const char* scenario;
  std::vector<std::string> args;
  std::string expected;  // fragment of stderr, after "FILE: "
};

std::vector<BadCase> cases()
{
  const char* fl  = "recommendation_federated";
  const char* dp  = "finance_sentiment_dp";
  const char* mpc = "manufacturing_mpc";
  return {
      {"epsilon of zero", dp, {"--set", "/workload/groups/1/privacy/dp/epsilon=0"},
       "/workload/groups/1/privacy/dp/epsilon: must be > 0, got 0"},
      {"negative budget", dp, {"--set", "/workload/groups/1/privacy/dp/budget/epsilon=-1"},
       "/workload/groups/1/privacy/dp/budget/epsilon: must be > 0, got -1"},
      {"delta of one", dp, {"--set", "/workload/groups/2/privacy/dp/budget/delta=1"},
       "/workload/groups/2/privacy/dp/budget/delta: delta must lie in (0, 1), got 1"},
      {"delta of zero", dp, {"--set", "/workload/groups/2/privacy/dp/budget/delta=0"},
       "/workload/groups/2/privacy/dp/budget/delta: delta must lie in (0, 1), got 0"},
      {"sigma of zero", dp, {"--set", "/workload/groups/2/privacy/dp/sigma=0"},
       "/workload/groups/2/privacy/dp/sigma: must be > 0, got 0"},
      {"Gaussian calibration beyond epsilon 1", dp,
       {"--set", R"(/workload/groups/2/privacy/dp={"mechanism": "gaussian", "epsilon": 2, "delta": 1e-5,
                                                    "budget": {"epsilon": 8}})"},
       "/workload/groups/2/privacy/dp/epsilon: the classical Gaussian calibration holds for epsilon < 1"},
      {"misspelt mechanism key", dp, {"--set", R"(/workload/groups/1/privacy/dp/mechansim="laplace")"},
       "/workload/groups/1/privacy/dp/mechansim: unknown key 'mechansim'; did you mean 'mechanism'?"},
      {"secure aggregation of readings", dp, {"--set", "/workload/groups/1/privacy/secure_aggregation={}"},
       "/workload/groups/1/privacy/secure_aggregation: sums the updates of federated clients"},
      {"K above N", fl, {"--set", "/workload/federated/0/clients_per_round=81"},
       "/workload/federated/0/clients_per_round: K = 81 exceeds the N = 80 clients"},
      {"over-commitment below one", fl, {"--set", "/workload/federated/0/over_commit=0.5"},
       "/workload/federated/0/over_commit: must be >= 1, got 0.5"},
      {"secure aggregation threshold of one", fl,
       {"--set", "/workload/federated/1/privacy/secure_aggregation/threshold=1"},
       "/workload/federated/1/privacy/secure_aggregation/threshold: must be < 1, got 1"},
      {"custom HE without its factors", fl, {"--set", R"(/workload/federated/1/privacy/he={"scheme": "custom"})"},
       "/workload/federated/1/privacy/he/expansion: required key is missing"},
      {"MPC with one party", mpc, {"--set", R"(/workload/groups/1/privacy/mpc/parties=["factory-0"])"},
       "/workload/groups/1/privacy/mpc/parties: must list at least two sites or nodes"},
  };
}

}  // namespace

TEST_CASE("invalid privacy and federated parameters exit 2 with a pointer message and leave nothing behind")
{
  const auto dir = work_dir("bad_privacy");
  for (const auto& c : cases()) {
    const std::string name = c.name;
    CAPTURE(name);
    const std::string file = scenario(c.scenario).string();
    std::vector<std::string> args{"run", file, "--out", (dir / "results").string()};
    args.insert(args.end(), c.args.begin(), c.args.end());
    const auto r = run_leptonsim(args);
    CHECK(r.exit_code == 2);
    CHECK_MESSAGE(r.err.find(file + ": " + c.expected) != std::string::npos, "stderr was: " << r.err);
    CHECK(r.out.empty());
    CHECK(std::filesystem::is_empty(dir));
  }
}
