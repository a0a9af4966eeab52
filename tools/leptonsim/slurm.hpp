// A sweep as Slurm jobs: a job array whose task I runs shard I/N of the sweep, and a gather job
// that depends on the whole array (afterany, so that it builds the tables even when some tasks
// failed) and writes sweep.csv and sweep_summary.csv. Everything runs from the sweep folder, which
// must be on a file system that the login node and the compute nodes share.
#pragma once

#include "tools/leptonsim/sweep_folder.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace leptonsim::cli {

struct SlurmOptions {
  size_t shards        = 1;  // array tasks
  size_t cpus_per_task = 1;  // each task runs its shard with -j this
  std::vector<std::string> sbatch_options;  // copied into both scripts as #SBATCH lines
};

struct SlurmScripts {
  std::filesystem::path array;
  std::filesystem::path gather;
};

// Writes slurm/array.sbatch and slurm/gather.sbatch into the folder. `executable` is this
// leptonsim binary; both paths are made absolute, since jobs start elsewhere.
SlurmScripts write_slurm_scripts(const SweepFolder& folder, const std::filesystem::path& executable,
                                 const SlurmOptions& options);

struct SubmittedJobs {
  std::string array_id;
  std::string gather_id;
};

// Submits with sbatch; a failing sbatch is an InputError that quotes it.
SubmittedJobs submit_slurm_jobs(const SlurmScripts& scripts);

// The default number of array tasks: one per run, at most 100.
size_t default_slurm_shards(size_t runs);

}  // namespace leptonsim::cli
