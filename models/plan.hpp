// Capacity planning: the smallest value of one scenario parameter for which every service-level
// objective (SLO) holds. The search is independent of how a point is simulated: it proposes the
// candidate values to simulate next and decides from the verdicts it is given (docs/planning.md).
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace leptonsim::models {

// "METRIC<VALUE", with METRIC a JSON pointer into summary.json and < one of < <= > >=.
struct Slo {
  enum class Op { less, less_equal, greater, greater_equal };
  std::string metric;
  Op op = Op::less;
  double bound = 0;
  std::string text;  // as given
};

// Throws InputError("--slo", text, why) on a malformed objective.
Slo parse_slo(std::string_view text);

// The candidate values LO, LO + step, ... up to HI, from "LO:HI".
std::vector<double> parse_range(std::string_view text, double step);

// Whether an SLO holds on a point's replications. With one replication the value itself is
// compared; with n >= 2 the one-sided bound of the mean at `confidence` (Student's t, n - 1
// degrees of freedom) must satisfy it: for "<", mean + t * sd / sqrt(n) < bound.
struct SloVerdict {
  bool holds = false;
  double mean = 0;
  double tested = 0;  // the value compared with the bound: the mean or its confidence bound
};
SloVerdict judge(const Slo& slo, std::span<const double> samples, double confidence);

// The search over candidate indices 0 .. count-1 (values in increasing order).
class PlanSearch {
public:
  enum class Method {
    bisect,  // assumes the SLOs, once met, stay met for larger values; checks it on the points seen
    scan,    // every value in order until the first that meets the SLOs
  };
  PlanSearch(size_t count, Method method);

  // The indices to simulate next; empty when the search is over. A scan proposes up to `batch`
  // at a time so that they can run in parallel.
  std::vector<size_t> next(size_t batch = 1);
  void record(size_t index, bool feasible);

  bool done() const { return done_; }
  std::optional<size_t> answer() const { return answer_; }  // smallest index that meets the SLOs
  Method method() const { return method_; }
  // Why the search stopped, in a sentence.
  const std::string& reason() const { return reason_; }
  // A bisection that saw a value meet the SLOs and a larger one miss them switches to a scan.
  bool saw_non_monotone() const { return non_monotone_; }
  size_t evaluated() const { return evaluated_count_; }

private:
  size_t count_;
  Method method_;
  std::vector<std::optional<bool>> feasible_;
  size_t evaluated_count_ = 0;
  bool done_ = false;
  bool non_monotone_ = false;
  std::optional<size_t> answer_;
  std::string reason_;
  // Bisection state: lo_ misses (or is unknown at the start), hi_ meets.
  size_t lo_ = 0, hi_ = 0;
  size_t next_scan_ = 0;

  void check_monotone();
  void settle();
};

}  // namespace leptonsim::models
