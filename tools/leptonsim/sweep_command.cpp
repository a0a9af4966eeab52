#include "tools/leptonsim/sweep_command.hpp"

#include "models/overrides.hpp"
#include "models/scenario.hpp"
#include "models/sweep.hpp"
#include "models/sweep_table.hpp"
#include "sim/run_result.hpp"
#include "tools/leptonsim/results_writer.hpp"
#include "tools/leptonsim/slurm.hpp"
#include "tools/leptonsim/sweep_folder.hpp"
#include "tools/leptonsim/sweep_runner.hpp"

#include <fmt/format.h>

#include <iostream>

namespace leptonsim::cli {
namespace {

namespace fs = std::filesystem;
using models::Json;
using models::Sweep;

std::string parameter_location(const Sweep& sweep, const models::SweepParameter* p)
{
  for (size_t i = 0; i < sweep.grid.size(); ++i)
    if (&sweep.grid[i] == p)
      return fmt::format("/grid/{}/pointer", i);
  for (size_t i = 0; i < sweep.zip.size(); ++i)
    if (&sweep.zip[i] == p)
      return fmt::format("/zip/{}/pointer", i);
  return "";
}

std::string metric_location(const Sweep& sweep, size_t i)
{
  const Json& entry = sweep.document["metrics"][i];
  return entry.is_object() ? fmt::format("/metrics/{}/pointer", i) : fmt::format("/metrics/{}", i);
}

// What only the scenario parser can tell: the parameters add no key the scenario format lacks (a
// typo would fail every run), and the metrics name values that summary.json will hold, judged on
// the base scenario with "set" applied or, when that is incomplete without the parameters, on the
// first point. Other values of single points are not checked here: a point whose override is bad
// fails on its own and is recorded as failed.
void check_against_scenario(const Sweep& sweep)
{
  Json base = sweep.scenario_document;
  models::apply_overrides(base, sweep.fixed);
  Json first = sweep.scenario_document;
  models::apply_overrides(first, sweep.run_overrides(0));

  models::Diagnostics problems;
  std::optional<models::Scenario> first_scenario;
  try {
    first_scenario = models::parse_scenario(first, sweep.scenario_file);
  } catch (const models::InputError& e) {
    for (const auto& d : e.problems())
      for (const auto* p : sweep.parameters())
        if (d.pointer == p->pointer && d.message.rfind("unknown key", 0) == 0)
          problems.add(parameter_location(sweep, p), "the scenario format has no such key: " + d.message);
  }
  if (!problems.empty())
    throw models::InputError(sweep.file, problems.items());
  std::optional<models::Scenario> scenario;
  try {
    scenario = models::parse_scenario(base, sweep.scenario_file);
  } catch (const models::InputError&) {
    if (!first_scenario)
      throw;
    scenario = std::move(first_scenario);
  }

  const Json skeleton = build_summary(*scenario, sim::make_result_shell(*scenario));
  for (size_t i = 0; i < sweep.metrics.size(); ++i) {
    const std::string problem = models::pointer_problem(skeleton, sweep.metrics[i].pointer, "summary.json", false);
    if (!problem.empty())
      problems.add(metric_location(sweep, i), problem + " (docs/outputs.md lists what a run writes)");
  }
  if (!problems.empty())
    throw models::InputError(sweep.file, problems.items());
}

std::string point_text(const Sweep& sweep, size_t point)
{
  const auto params = sweep.parameters();
  const auto values = sweep.point_values(point);
  std::string text;
  for (size_t i = 0; i < params.size(); ++i)
    text += fmt::format("{}{}={}", text.empty() ? "" : " ", params[i]->name, models::value_text(values[i]));
  return text.empty() ? "(the base scenario)" : text;
}

void print_plan(std::ostream& out, const Sweep& sweep)
{
  out << fmt::format("sweep {}: base scenario {}, {} point{} x {} replication{} = {} runs\n", sweep.name,
                     sweep.scenario_file, sweep.point_count(), sweep.point_count() == 1 ? "" : "s", sweep.replications,
                     sweep.replications == 1 ? "" : "s", sweep.run_count());
  for (const auto& o : sweep.fixed)
    out << fmt::format("  every run: --set {}={}\n", o.pointer, o.text);
  for (size_t r = 0; r < sweep.replications; ++r)
    out << fmt::format("  replication {}: --seed {}\n", r, sweep.replication_seed(r));
  if (sweep.timeout)
    out << fmt::format("  each run is stopped after {} s\n", *sweep.timeout);
  for (size_t p = 0; p < sweep.point_count(); ++p)
    out << fmt::format("  point {}: {}\n", p, point_text(sweep, p));
}

int report_tables(const SweepFolder& folder, const std::vector<models::RunRecord>& runs, bool quiet)
{
  size_t ok = 0, missing = 0;
  std::vector<size_t> failed;
  for (size_t i = 0; i < runs.size(); ++i) {
    if (runs[i].status == models::RunStatus::ok)
      ++ok;
    else if (runs[i].status == models::RunStatus::missing)
      ++missing;
    else
      failed.push_back(i);
  }
  if (!quiet) {
    const Sweep& sweep = folder.sweep();
    std::cout << fmt::format("sweep {}: {} runs: {} ok, {} failed, {} not run\n", sweep.name, runs.size(), ok,
                             failed.size(), missing);
    constexpr size_t shown = 5;
    for (size_t k = 0; k < failed.size() && k < shown; ++k) {
      const size_t i = failed[k];
      std::cout << fmt::format("  {} {} ({}, replication {}): {}\n", models::to_string(runs[i].status),
                               models::run_folder_name(sweep, i), point_text(sweep, sweep.run(i).point),
                               sweep.run(i).replication, runs[i].error);
    }
    if (failed.size() > shown)
      std::cout << fmt::format("  ... and {} more; sweep.csv has every error\n", failed.size() - shown);
    if (missing)
      std::cout << "  runs not run yet: run the sweep again to run them (complete runs are skipped)\n";
    std::cout << fmt::format("results: {} and {}\n", (folder.dir() / "sweep.csv").string(),
                             (folder.dir() / "sweep_summary.csv").string());
  }
  return failed.empty() && missing == 0 ? 0 : 1;
}

int slurm_command(const SweepFolder& folder, const SweepArgs& args)
{
  SlurmOptions options;
  options.shards         = args.shards.value_or(default_slurm_shards(folder.sweep().run_count()));
  options.cpus_per_task  = args.cpus_per_task;
  options.sbatch_options = args.sbatch_options;
  const SlurmScripts scripts = write_slurm_scripts(folder, fs::read_symlink("/proc/self/exe"), options);
  const size_t tasks         = std::min(options.shards, folder.sweep().run_count());
  if (args.submit) {
    const SubmittedJobs jobs = submit_slurm_jobs(scripts);
    std::cout << fmt::format("submitted array job {} ({} tasks) and gather job {}, which runs when every task has "
                             "ended\nresults: {}\n",
                             jobs.array_id, tasks, jobs.gather_id, (fs::absolute(folder.dir()) / "sweep.csv").string());
  } else {
    std::cout << fmt::format("wrote {} ({} array tasks) and {}\nsubmit them with:\n"
                             "  jobid=$(sbatch --parsable {}) && sbatch --dependency=afterany:${{jobid%%;*}} {}\n",
                             scripts.array.string(), tasks, scripts.gather.string(), scripts.array.string(),
                             scripts.gather.string());
  }
  return 0;
}

}  // namespace

CLI::App* add_sweep_command(CLI::App& app, SweepArgs& args)
{
  auto* cmd = app.add_subcommand("sweep", "Run a parameter sweep: one child process per run, locally or as a Slurm "
                                          "job array");
  auto* file = cmd->add_option("SWEEP", args.file, "Sweep file (JSON); see docs/sweeps.md");
  auto* gather =
      cmd->add_option("--gather", args.gather,
                      "Build sweep.csv and sweep_summary.csv from a sweep folder whose runs ran elsewhere\n"
                      "(shards, Slurm tasks); runs nothing")
          ->type_name("DIR");
  auto* out = cmd->add_option("--out,-o", args.out,
                              "Sweep folder (default: results/sweeps/<sweep name>). Running the same sweep\n"
                              "into it again skips the runs that are complete.")
                  ->type_name("DIR");
  auto* jobs = cmd->add_option("-j,--jobs", args.jobs, "Runs at once (default: the processors this process may use)")
                   ->type_name("N")
                   ->check(CLI::Range(1, 1024));
  auto* shard = cmd->add_option("--shard", args.shard,
                                "Run only shard I of N (runs I-1, I-1+N, I-1+2N, ...), I counted from 1;\n"
                                "then --gather builds the tables once every shard has run")
                    ->type_name("I/N");
  auto* dry_run = cmd->add_flag("--dry-run", args.dry_run, "Check the sweep and list its points; run nothing");
  cmd->add_flag("--quiet,-q", args.quiet, "Print errors only (no progress line, no report)");
  auto* slurm = cmd->add_flag("--slurm", args.slurm,
                              "Write a Slurm job array (one task per shard) and a gather job that depends on it,\n"
                              "into DIR/slurm/; runs nothing here");
  auto* submit = cmd->add_flag("--submit", args.submit, "With --slurm: submit both jobs with sbatch");
  auto* shards = cmd->add_option("--shards", args.shards, "With --slurm: array tasks (default: runs, at most 100)")
                     ->type_name("N")
                     ->check(CLI::Range(size_t{1}, models::max_sweep_runs));
  auto* cpus = cmd->add_option("--cpus-per-task", args.cpus_per_task,
                               "With --slurm: processors per array task, each running its shard with -j this\n"
                               "(default 1)")
                   ->type_name("N")
                   ->check(CLI::Range(1, 4096));
  auto* sbatch = cmd->add_option("--sbatch", args.sbatch_options,
                                 "With --slurm: an sbatch option for both jobs, written --sbatch=--partition=short.\n"
                                 "Repeatable.")
                     ->type_name("OPTION")
                     ->allow_extra_args(false);  // one value per --sbatch, so that SWEEP may follow
  file->excludes(gather);
  for (auto* o : {out, jobs, shard, dry_run, slurm})
    gather->excludes(o);
  shard->excludes(slurm);
  dry_run->excludes(slurm);
  for (auto* o : {submit, shards, cpus, sbatch})
    o->needs(slurm);
  jobs->excludes(slurm);
  cmd->callback([&args] {
    if (args.file.empty() && args.gather.empty())
      throw CLI::ValidationError("sweep", "give a SWEEP file, or --gather DIR");
  });
  cmd->footer("Examples:\n"
              "  leptonsim sweep scenarios/sweeps/smart_city_capacity.json -j 2\n"
              "  leptonsim sweep SWEEP.json --out /shared/sweep --slurm --shards 50 --sbatch=--time=02:00:00 --submit\n"
              "  leptonsim sweep --gather /shared/sweep\n"
              "Writes DIR/sweep.csv (one row per run: parameters, seed, metrics, status, error) and\n"
              "DIR/sweep_summary.csv (per point: mean, sd and 95% confidence interval of each metric).\n"
              "Exit code 1 when a run failed or has not run; sweep.csv says which and why.");
  return cmd;
}

int sweep_command(const SweepArgs& args)
{
  if (!args.gather.empty()) {
    const SweepFolder folder = SweepFolder::open(args.gather);
    return report_tables(folder, folder.write_tables(), args.quiet);
  }
  const Sweep sweep = models::load_sweep(args.file);
  check_against_scenario(sweep);
  std::optional<models::Shard> shard;
  if (!args.shard.empty())
    shard = models::parse_shard(args.shard);
  if (args.dry_run) {
    print_plan(std::cout, sweep);
    return 0;
  }
  const fs::path out       = args.out.empty() ? fs::path("results/sweeps") / sweep.name : fs::path(args.out);
  const SweepFolder folder = SweepFolder::prepare(out, sweep);
  if (args.slurm)
    return slurm_command(folder, args);

  const SweepTally tally = run_sweep(folder, {args.jobs.value_or(available_cores()), shard, args.quiet});
  if (!shard)
    return report_tables(folder, folder.write_tables(), args.quiet);
  if (!args.quiet)
    std::cout << fmt::format("shard {}/{}: {} of {} runs: {} ran now, {} were complete before, {} failed\n"
                             "once every shard has run: leptonsim sweep --gather {}\n",
                             shard->index, shard->count, tally.share, sweep.run_count(), tally.ok + tally.failed,
                             tally.skipped, tally.failed, folder.dir().string());
  return tally.failed == 0 ? 0 : 1;
}

}  // namespace leptonsim::cli
