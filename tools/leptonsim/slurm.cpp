#include "tools/leptonsim/slurm.hpp"

#include "tools/leptonsim/child_processes.hpp"

#include <fmt/format.h>

#include <sys/stat.h>

#include <algorithm>

namespace leptonsim::cli {
namespace {

namespace fs = std::filesystem;
using models::InputError;

std::string shell_quote(const std::string& text)
{
  std::string out = "'";
  for (char c : text)
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// #SBATCH lines are split on white space and '%' is a file-name pattern there, so such paths
// cannot be written into them safely.
void check_sbatch_path(const fs::path& path)
{
  const std::string text = path.string();
  if (text.find_first_of(" \t\n%'\"") != std::string::npos)
    throw InputError(text, "", "a folder for Slurm jobs cannot contain spaces, quotes or '%'; choose another --out");
}

std::string header(const std::string& job_name, size_t cpus, const fs::path& log,
                   const std::vector<std::string>& extra)
{
  std::string out = fmt::format("#SBATCH --job-name={}\n#SBATCH --ntasks=1\n#SBATCH --cpus-per-task={}\n"
                                "#SBATCH --output={}\n",
                                job_name, cpus, log.string());
  for (const auto& option : extra)
    out += "#SBATCH " + option + "\n";
  return out;
}

std::string job_id(const CapturedRun& run)
{
  // --parsable prints "id" or "id;cluster".
  std::string id = run.out.substr(0, run.out.find_first_of(";\n"));
  if (id.empty() || id.find_first_not_of("0123456789") != std::string::npos)
    throw InputError("sbatch", "", "printed no job id: " + run.out + run.err);
  return id;
}

CapturedRun sbatch(const std::vector<std::string>& args)
{
  CapturedRun run = run_and_capture(args);
  if (run.exit_code != 0) {
    std::string err = run.err;
    while (!err.empty() && (err.back() == '\n' || err.back() == ' '))
      err.pop_back();
    throw InputError("sbatch", "", fmt::format("exited with code {}{}{}", run.exit_code, err.empty() ? "" : ": ", err));
  }
  return run;
}

}  // namespace

size_t default_slurm_shards(size_t runs) { return std::clamp<size_t>(runs, 1, 100); }

SlurmScripts write_slurm_scripts(const SweepFolder& folder, const fs::path& executable, const SlurmOptions& options)
{
  const fs::path dir = fs::absolute(folder.dir()).lexically_normal();
  const fs::path exe = fs::absolute(executable).lexically_normal();
  check_sbatch_path(dir);
  for (const auto& option : options.sbatch_options)
    if (option.empty() || option[0] != '-' || option.find('\n') != std::string::npos)
      throw InputError("--sbatch", option, "expected one sbatch option such as --partition=short or --time=01:00:00");
  const models::Sweep& sweep = folder.sweep();
  const size_t shards        = std::min(options.shards, sweep.run_count());

  std::error_code ec;
  fs::create_directories(dir / "slurm", ec);
  if (ec)
    throw InputError((dir / "slurm").string(), "", "cannot create the folder: " + ec.message());

  SlurmScripts scripts{dir / "slurm" / "array.sbatch", dir / "slurm" / "gather.sbatch"};
  const std::string array =
      fmt::format("#!/bin/sh\n"
                  "# Sweep {}: {} runs in {} shards. Array task I runs shard I/{}, {} run(s) at a time;\n"
                  "# a task that is cancelled or fails can be resubmitted: complete runs are skipped.\n"
                  "#SBATCH --array=1-{}\n{}"
                  "exec {} sweep {} --out {} --shard \"$SLURM_ARRAY_TASK_ID/{}\" -j \"${{SLURM_CPUS_PER_TASK:-{}}}\"\n",
                  sweep.name, sweep.run_count(), shards, shards, options.cpus_per_task, shards,
                  header(sweep.name, options.cpus_per_task, dir / "slurm" / "shard-%a.log", options.sbatch_options),
                  shell_quote(exe.string()), shell_quote((dir / "sweep.json").string()), shell_quote(dir.string()),
                  shards, options.cpus_per_task);
  const std::string gather =
      fmt::format("#!/bin/sh\n"
                  "# Sweep {}: builds sweep.csv and sweep_summary.csv once every array task has ended.\n{}"
                  "exec {} sweep --gather {}\n",
                  sweep.name, header(sweep.name + "-gather", 1, dir / "slurm" / "gather.log", options.sbatch_options),
                  shell_quote(exe.string()), shell_quote(dir.string()));
  write_file_atomically(scripts.array, array);
  write_file_atomically(scripts.gather, gather);
  ::chmod(scripts.array.c_str(), 0755);
  ::chmod(scripts.gather.c_str(), 0755);
  return scripts;
}

SubmittedJobs submit_slurm_jobs(const SlurmScripts& scripts)
{
  SubmittedJobs jobs;
  jobs.array_id  = job_id(sbatch({"sbatch", "--parsable", scripts.array.string()}));
  jobs.gather_id = job_id(
      sbatch({"sbatch", "--parsable", "--dependency=afterany:" + jobs.array_id, scripts.gather.string()}));
  return jobs;
}

}  // namespace leptonsim::cli
