// Runs the runs of a sweep (or of one shard of it) that its folder does not hold yet, each as a
// child process of this binary, at most N at a time, with a progress line on stderr. A failed,
// crashed or timed-out run is recorded and does not stop the others.
#pragma once

#include "models/sweep.hpp"
#include "tools/leptonsim/sweep_folder.hpp"

#include <optional>

namespace leptonsim::cli {

struct SweepRunOptions {
  size_t jobs = 1;
  std::optional<models::Shard> shard;
  bool quiet = false;
};

struct SweepTally {
  size_t share   = 0;  // runs this process is responsible for
  size_t skipped = 0;  // already complete
  size_t ok      = 0;  // completed now
  size_t failed  = 0;  // failed, crashed or timed out now
};

SweepTally run_sweep(const SweepFolder& folder, const SweepRunOptions& options);

// Processors this process may use (its affinity mask, which Slurm and taskset restrict).
size_t available_cores();

}  // namespace leptonsim::cli
