// `leptonsim sweep`: runs a sweep file's runs as child processes (all of them, or one shard),
// writes Slurm job scripts for it, or gathers a sweep folder's results into its CSV tables.
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

namespace leptonsim::cli {

struct SweepArgs {
  std::string file;
  std::string gather;
  std::string out;
  std::optional<size_t> jobs;
  std::string shard;
  bool dry_run = false;
  bool quiet   = false;
  bool slurm   = false;
  bool submit  = false;
  std::optional<size_t> shards;
  size_t cpus_per_task = 1;
  std::vector<std::string> sbatch_options;
};

CLI::App* add_sweep_command(CLI::App& app, SweepArgs& args);

// 0 when every run (of the share this process had) succeeded, 1 when some failed or are missing;
// bad input throws models::InputError.
int sweep_command(const SweepArgs& args);

}  // namespace leptonsim::cli
