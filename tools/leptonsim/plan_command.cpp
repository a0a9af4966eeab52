#include "tools/leptonsim/plan_command.hpp"

#include "models/json_input.hpp"
#include "models/overrides.hpp"
#include "models/plan.hpp"
#include "models/rng.hpp"
#include "models/scenario.hpp"
#include "models/sweep.hpp"
#include "sim/run_result.hpp"
#include "tools/leptonsim/child_processes.hpp"
#include "tools/leptonsim/interrupt.hpp"
#include "tools/leptonsim/results_writer.hpp"
#include "tools/leptonsim/sweep_runner.hpp"

#include <fmt/format.h>

#include <cmath>
#include <iostream>
#include <limits>

namespace leptonsim::cli {
namespace {

namespace fs = std::filesystem;
using models::Json;

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// What the plan learnt about one candidate value.
struct Point {
  double value = 0;
  bool evaluated = false;
  size_t order = 0;                       // 1 for the first value simulated
  std::vector<std::vector<double>> slo;   // [slo][replication] metric values
  std::vector<double> cost, energy;       // per replication
  std::vector<models::SloVerdict> verdicts;
  bool feasible = false;
};

std::string number_text(double v)
{
  if (std::abs(v) < 1e15 && v == std::floor(v))
    return fmt::format("{}", static_cast<long long>(v));
  return fmt::format("{}", v);
}

Json number_json(double v)
{
  if (std::abs(v) < 1e15 && v == std::floor(v))
    return Json(static_cast<long long>(v));
  return Json(v);
}

double mean(const std::vector<double>& xs)
{
  if (xs.empty())
    return nan;
  double sum = 0;
  for (double x : xs)
    sum += x;
  return sum / static_cast<double>(xs.size());
}

// A value of summary.json as a number: true/false count as 1/0, null (no sample) as NaN, which
// meets no objective.
double metric(const Json& summary, const std::string& pointer)
{
  const Json::json_pointer p(pointer);
  if (!summary.contains(p))
    return nan;
  const Json& v = summary.at(p);
  if (v.is_boolean())
    return v.get<bool>() ? 1.0 : 0.0;
  return v.is_number() ? v.get<double>() : nan;
}

struct Plan {
  const PlanArgs& args;
  Json document;        // the scenario after the user's --set
  std::string pointer;  // the varied value
  std::vector<double> values;
  std::vector<models::Slo> slos;
  std::vector<uint64_t> seeds;
  std::vector<Point> points;
  size_t simulated = 0;
  std::string currency;

  fs::path run_dir(const fs::path& root, size_t point, size_t replication) const
  {
    return root / "runs" / number_text(values[point]) / fmt::format("seed-{}", seeds[replication]);
  }

  // Simulates the given values, every replication of each, as child processes.
  void evaluate(const std::vector<size_t>& indices, const fs::path& root, size_t slots)
  {
    struct Job {
      size_t point, replication;
    };
    std::vector<Job> jobs;
    for (size_t i : indices)
      for (size_t r = 0; r < seeds.size(); ++r)
        jobs.push_back({i, r});
    std::optional<std::string> failure;
    int failure_code = 0;
    ChildCallbacks callbacks;
    callbacks.command = [&](size_t k) {
      const Job& j = jobs[k];
      ChildCommand c;
      c.args = {"leptonsim", "run", args.file, "--quiet", "--out", run_dir(root, j.point, j.replication).string(),
                "--seed", std::to_string(seeds[j.replication])};
      for (const auto& s : args.sets)
        c.args.insert(c.args.end(), {"--set", s});
      c.args.insert(c.args.end(), {"--set", pointer + "=" + number_text(values[j.point])});
      return c;
    };
    callbacks.finished = [&](size_t k, const ChildOutcome& outcome) {
      if (outcome.end == ChildOutcome::End::exited && outcome.code == 0)
        return;
      if (!failure) {
        const Job& j = jobs[k];
        failure      = fmt::format("the run with {} = {} (seed {}) failed: {}", pointer, number_text(values[j.point]),
                                   seeds[j.replication],
                                   outcome.end == ChildOutcome::End::exited
                                       ? outcome.error_output
                                       : "killed by " + signal_name(outcome.code));
        failure_code = outcome.end == ChildOutcome::End::exited ? outcome.code : -1;
      }
    };
    run_children("/proc/self/exe", slots, jobs.size(), callbacks);
    if (failure) {
      while (!failure->empty() && failure->back() == '\n')
        failure->pop_back();
      if (failure_code == 2)  // the value makes the scenario invalid: the user's range is wrong
        throw models::InputError("--range", "", *failure);
      throw std::runtime_error(*failure);
    }
    for (size_t i : indices) {
      Point& p    = points[i];
      p.evaluated = true;
      p.order     = ++simulated;
      p.slo.assign(slos.size(), {});
      for (size_t r = 0; r < seeds.size(); ++r) {
        const Json summary = models::load_json_file((run_dir(root, i, r) / "summary.json").string());
        for (size_t s = 0; s < slos.size(); ++s)
          p.slo[s].push_back(metric(summary, slos[s].metric));
        p.cost.push_back(metric(summary, "/cost/total"));
        p.energy.push_back(metric(summary, "/metrics/energy_J"));
      }
      p.verdicts.clear();
      p.feasible = true;
      for (size_t s = 0; s < slos.size(); ++s) {
        p.verdicts.push_back(models::judge(slos[s], p.slo[s], args.confidence));
        p.feasible = p.feasible && p.verdicts.back().holds;
      }
    }
  }

  double objective(const Point& p) const
  {
    if (args.minimise == "cost")
      return mean(p.cost);
    if (args.minimise == "energy")
      return mean(p.energy);
    return p.value;
  }
};

void check_inputs(Plan& plan)
{
  const PlanArgs& a = plan.args;
  plan.document     = models::load_json_file(a.file);
  std::vector<models::Override> overrides;
  for (const auto& s : a.sets)
    overrides.push_back(models::parse_override(s));
  models::apply_overrides(plan.document, overrides);

  plan.pointer = a.vary;
  const std::string problem = models::pointer_problem(plan.document, a.vary, "the scenario", false);
  if (!problem.empty())
    throw models::InputError("--vary", a.vary, problem);
  const Json& target = plan.document.at(Json::json_pointer(a.vary));
  if (!target.is_number())
    throw models::InputError("--vary", a.vary,
                             fmt::format("the scenario has {} there; plan varies a number (a count, cores, a rate)",
                                         models::type_name(target)));
  plan.values = models::parse_range(a.range, a.step);

  // The ends of the range must make valid scenarios; a value inside that does not fails its run.
  std::optional<models::Scenario> scenario;
  for (double v : {plan.values.front(), plan.values.back()}) {
    Json doc                             = plan.document;
    doc.at(Json::json_pointer(a.vary)) = number_json(v);
    scenario                             = models::parse_scenario(doc, a.file);
  }
  for (const auto& text : a.slos)
    plan.slos.push_back(models::parse_slo(text));
  if (plan.slos.empty())
    throw models::InputError("--slo", "", "give at least one objective, e.g. --slo '/metrics/latency_s/p99<0.1'");
  const Json skeleton = build_summary(*scenario, sim::make_result_shell(*scenario));
  for (const auto& slo : plan.slos) {
    const std::string missing = models::pointer_problem(skeleton, slo.metric, "summary.json", false);
    if (!missing.empty())
      throw models::InputError("--slo", slo.text, missing + " (docs/outputs.md lists what a run writes)");
    const Json& v = skeleton.at(Json::json_pointer(slo.metric));
    if (v.is_object() || v.is_array() || v.is_string())
      throw models::InputError("--slo", slo.text,
                               fmt::format("summary.json has {} there, not a number; name one of its values",
                                           models::type_name(v)));
  }
  // One seed: the scenario's own, so that the plan's runs are the runs a user would make. More:
  // the sweep's replication seeds, the same at every value (common random numbers).
  if (a.seeds == 1)
    plan.seeds = {scenario->seed};
  else
    for (size_t r = 0; r < a.seeds; ++r)
      plan.seeds.push_back(models::derive_seed(scenario->seed, fmt::format("replication-{}", r)) >> 1);
  plan.currency = scenario->prices.currency;
  plan.points.resize(plan.values.size());
  for (size_t i = 0; i < plan.values.size(); ++i)
    plan.points[i].value = plan.values[i];
}

std::string points_csv(const Plan& plan, std::optional<size_t> chosen)
{
  std::string out = "value,order,runs";
  for (size_t s = 0; s < plan.slos.size(); ++s)
    out += fmt::format(",slo{0}_mean,slo{0}_tested,slo{0}_holds", s + 1);
  out += ",cost_mean,energy_J_mean,feasible,chosen\n";
  for (size_t i = 0; i < plan.points.size(); ++i) {
    const Point& p = plan.points[i];
    if (!p.evaluated)
      continue;
    out += fmt::format("{},{},{}", number_text(p.value), p.order, plan.seeds.size());
    for (const auto& v : p.verdicts)
      out += fmt::format(",{},{},{}", v.mean, v.tested, v.holds);
    out += fmt::format(",{},{},{},{}\n", mean(p.cost), mean(p.energy), p.feasible, chosen == i);
  }
  return out;
}

std::string runs_csv(const Plan& plan)
{
  std::string out = "value,seed";
  for (size_t s = 0; s < plan.slos.size(); ++s)
    out += fmt::format(",slo{}", s + 1);
  out += ",cost,energy_J,folder\n";
  for (size_t i = 0; i < plan.points.size(); ++i) {
    const Point& p = plan.points[i];
    if (!p.evaluated)
      continue;
    for (size_t r = 0; r < plan.seeds.size(); ++r) {
      out += fmt::format("{},{}", number_text(p.value), plan.seeds[r]);
      for (const auto& values : p.slo)
        out += fmt::format(",{}", values[r]);
      out += fmt::format(",{},{},{}\n", p.cost[r], p.energy[r],
                         (fs::path("runs") / number_text(p.value) / fmt::format("seed-{}", plan.seeds[r])).string());
    }
  }
  return out;
}

}  // namespace

CLI::App* add_plan_command(CLI::App& app, PlanArgs& args)
{
  auto* cmd = app.add_subcommand(
      "plan", "Find the smallest value of a parameter for which every service-level objective holds");
  cmd->add_option("SCENARIO", args.file, "Scenario file (JSON)")->required();
  cmd->add_option("--set", args.sets, "Change a value of the scenario first, as /json/pointer=VALUE. Repeatable.")
      ->type_name("/POINTER=VALUE")
      ->allow_extra_args(false);
  cmd->add_option("--vary", args.vary,
                  "The number to choose, as a JSON pointer into the scenario\n"
                  "(e.g. /platform/sites/0/nodes/0/count: edge nodes per district)")
      ->type_name("/POINTER")
      ->required();
  cmd->add_option("--range", args.range, "The values to consider, LO:HI (inclusive), e.g. 1:16")
      ->type_name("LO:HI")
      ->required();
  cmd->add_option("--step", args.step, "Distance between the values tried (default 1)")->type_name("S");
  cmd->add_option("--slo", args.slos,
                  "An objective every chosen run must meet, METRIC<VALUE (also <=, >, >=), METRIC a JSON\n"
                  "pointer into summary.json in its unit, e.g. '/metrics/latency_s/p99<0.1'. Repeatable.")
      ->type_name("OBJECTIVE")
      ->allow_extra_args(false)
      ->required();
  cmd->add_option("--minimise", args.minimise,
                  "What the answer minimises among the values that meet the objectives: count (the\n"
                  "smallest value, default), cost (/cost/total) or energy (/metrics/energy_J); cost and\n"
                  "energy simulate every value from the smallest that meets the objectives up")
      ->check(CLI::IsMember({"count", "cost", "energy"}));
  cmd->add_option("--search", args.search,
                  "bisect (default): halve the range, assuming a value that meets the objectives is\n"
                  "followed by larger ones that do too; scan: try every value upward until one meets them.\n"
                  "A bisection that sees the objectives fail above a value that met them turns into a scan.")
      ->check(CLI::IsMember({"bisect", "scan"}));
  cmd->add_option("--seeds", args.seeds,
                  "Replications per value (default 1: the scenario's seed). With more, an objective must\n"
                  "hold for the one-sided confidence bound of the mean (Student's t), not only the mean")
      ->type_name("N")
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--confidence", args.confidence, "Confidence level of that bound (default 0.95)")
      ->check(CLI::Range(0.5, 0.9999));
  cmd->add_option("--out,-o", args.out, "Plan folder (default: results/plans/<scenario name>)")->type_name("DIR");
  cmd->add_option("-j,--jobs", args.jobs, "Simulations at once (default: the processors this process may use)")
      ->type_name("N")
      ->check(CLI::Range(1, 1024));
  cmd->add_flag("--quiet,-q", args.quiet, "Print the answer line only");
  cmd->footer("Example: how many small edge boxes must each district of the city run for a p99 under 100 ms?\n"
              "  leptonsim plan scenarios/smart_city_district.json --vary /platform/sites/0/nodes/0/count \\\n"
              "    --range 1:12 --slo '/metrics/latency_s/p99<0.1'\n"
              "Writes DIR/summary.json (the answer and why the search stopped), DIR/plan.csv (one row per\n"
              "value simulated), DIR/plan_runs.csv (one row per run) and every run's folder under\n"
              "DIR/runs/. Exit code 0 with an answer, 1 when no value in the range meets the objectives.\n"
              "See docs/planning.md.");
  return cmd;
}

int plan_command(const PlanArgs& args)
{
  Plan plan{args, {}, {}, {}, {}, {}, {}, 0, {}};
  check_inputs(plan);
  const std::string name =
      plan.document.contains("name") && plan.document["name"].is_string() ? plan.document["name"].get<std::string>()
                                                                           : "plan";
  ResultsFolder folder(args.out.empty() ? fs::path("results") / "plans" / name : fs::path(args.out));
  const size_t slots = args.jobs.value_or(available_cores());
  const auto method  = args.search == "scan" ? models::PlanSearch::Method::scan : models::PlanSearch::Method::bisect;
  models::PlanSearch search(plan.values.size(), method);

  auto run = [&](const std::vector<size_t>& indices) {
    if (!args.quiet) {
      std::string list;
      for (size_t i : indices)
        list += (list.empty() ? "" : ", ") + number_text(plan.values[i]);
      std::cerr << fmt::format("plan: simulating {} = {} ({} run{})\n", plan.pointer, list,
                               indices.size() * plan.seeds.size(), indices.size() * plan.seeds.size() == 1 ? "" : "s");
    }
    plan.evaluate(indices, folder.staging(), slots);
    for (size_t i : indices)
      search.record(i, plan.points[i].feasible);
  };
  const size_t batch = std::max<size_t>(1, slots / plan.seeds.size());
  for (;;) {
    while (!search.done())
      run(search.next(batch));
    if (args.minimise == "count" || !search.answer())
      break;
    // Cost and energy need not fall with the value: every value from the answer up is simulated.
    std::vector<size_t> rest;
    for (size_t i = *search.answer() + 1; i < plan.points.size(); ++i)
      if (!plan.points[i].evaluated)
        rest.push_back(i);
    if (rest.empty())
      break;
    for (size_t k = 0; k < rest.size(); k += batch)
      run({rest.begin() + static_cast<long>(k), rest.begin() + static_cast<long>(std::min(rest.size(), k + batch))});
    if (search.done())
      break;
  }

  std::optional<size_t> chosen = search.answer();
  if (chosen && args.minimise != "count")
    for (size_t i = *chosen; i < plan.points.size(); ++i)
      if (plan.points[i].evaluated && plan.points[i].feasible &&
          plan.objective(plan.points[i]) < plan.objective(plan.points[*chosen]))
        chosen = i;

  Json summary;
  summary["scenario"] = args.file;
  summary["vary"]     = plan.pointer;
  summary["range"]    = {number_json(plan.values.front()), number_json(plan.values.back())};
  summary["step"]     = args.step;
  summary["objectives"] = Json::array();
  for (const auto& s : plan.slos)
    summary["objectives"].push_back(s.text);
  summary["minimise"]       = args.minimise;
  summary["search"]         = search.method() == models::PlanSearch::Method::bisect ? "bisect" : "scan";
  summary["seeds"]          = plan.seeds;
  summary["confidence"]     = args.confidence;
  summary["answer"]         = chosen ? number_json(plan.values[*chosen]) : Json(nullptr);
  summary["smallest_meeting_objectives"] = search.answer() ? number_json(plan.values[*search.answer()]) : Json(nullptr);
  summary["why"]            = search.reason();
  summary["values_simulated"] = plan.simulated;
  summary["runs"]             = plan.simulated * plan.seeds.size();
  summary["values_in_range"]  = plan.values.size();
  summary["non_monotone"]     = search.saw_non_monotone();
  if (chosen) {
    summary["answer_cost"]     = mean(plan.points[*chosen].cost);
    summary["answer_energy_J"] = mean(plan.points[*chosen].energy);
  }
  folder.write("summary.json", summary.dump(2) + "\n");
  folder.write("plan.csv", points_csv(plan, chosen));
  folder.write("plan_runs.csv", runs_csv(plan));
  folder.commit();

  if (!args.quiet) {
    std::cout << fmt::format("plan: {} in {}..{} (step {}), {} seed{} per value, {}\n", plan.pointer,
                             number_text(plan.values.front()), number_text(plan.values.back()), number_text(args.step),
                             plan.seeds.size(), plan.seeds.size() == 1 ? "" : "s",
                             args.minimise == "count" ? "smallest value" : "least " + args.minimise);
    for (size_t s = 0; s < plan.slos.size(); ++s)
      std::cout << fmt::format("  objective {}: {}\n", s + 1, plan.slos[s].text);
    std::cout << fmt::format("  {:>10} {:>6}", "value", "order");
    for (size_t s = 0; s < plan.slos.size(); ++s)
      std::cout << fmt::format(" {:>14}", fmt::format("objective {}", s + 1));
    std::cout << fmt::format(" {:>12} {:>14}  meets\n", "cost", "energy J");
    for (size_t i = 0; i < plan.points.size(); ++i) {
      const Point& p = plan.points[i];
      if (!p.evaluated)
        continue;
      std::cout << fmt::format("  {:>10} {:>6}", number_text(p.value), p.order);
      for (const auto& v : p.verdicts)
        std::cout << fmt::format(" {:>14.6g}", v.tested);
      std::cout << fmt::format(" {:>12.6g} {:>14.6g}  {}{}\n", mean(p.cost), mean(p.energy), p.feasible ? "yes" : "no",
                               chosen == i ? "  <- answer" : "");
    }
    if (plan.seeds.size() > 1)
      std::cout << fmt::format("  (objective columns: the one-sided {}% confidence bound of the mean over the seeds)\n",
                               args.confidence * 100);
    std::cout << fmt::format("simulated {} of {} values ({} runs): {}\n", plan.simulated, plan.values.size(),
                             plan.simulated * plan.seeds.size(), search.reason());
  }
  if (chosen)
    std::cout << fmt::format("answer: {} = {} (cost {:.6g} {}, energy {:.6g} J)\n", plan.pointer,
                             number_text(plan.values[*chosen]), mean(plan.points[*chosen].cost),
                             plan.currency,
                             mean(plan.points[*chosen].energy));
  else
    std::cout << fmt::format("answer: none: no value of {} in {}..{} meets the objectives\n", plan.pointer,
                             number_text(plan.values.front()), number_text(plan.values.back()));
  if (!args.quiet)
    std::cout << fmt::format("results: {}\n", folder.destination().string());
  return chosen ? 0 : 1;
}

}  // namespace leptonsim::cli
