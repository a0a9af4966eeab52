#include "tools/leptonsim/commands.hpp"

#include "models/expect.hpp"
#include "models/json_input.hpp"
#include "models/overrides.hpp"
#include "models/scenario.hpp"
#include "models/units.hpp"
#include "sim/run_result.hpp"
#include "sim/simulation.hpp"
#include "sim/xml_platform.hpp"
#include "tools/leptonsim/platform_export.hpp"
#include "tools/leptonsim/privacy_summary.hpp"
#include "tools/leptonsim/interrupt.hpp"
#include "tools/leptonsim/report.hpp"
#include "tools/leptonsim/results_writer.hpp"
#include "tools/leptonsim/plan_command.hpp"
#include "tools/leptonsim/sweep_command.hpp"

#include <leptonsim/version.hpp>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <fmt/ostream.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <optional>

namespace leptonsim::cli {
namespace {

constexpr int exit_ok       = 0;
constexpr int exit_expect   = 1;
constexpr int exit_input    = 2;
constexpr int exit_internal = 3;

struct ScenarioArgs {
  std::string file;
  std::vector<std::string> sets;
  std::optional<uint64_t> seed;
};

void add_scenario_args(CLI::App& cmd, ScenarioArgs& args)
{
  cmd.add_option("SCENARIO", args.file, "Scenario file (JSON); see docs/scenario-format.md")->required();
  cmd.add_option("--set", args.sets,
                 "Change one value before validation, as /json/pointer=VALUE; VALUE is read as JSON when it\n"
                 "parses (5, true, \"x\", [1,2]) and as a plain string otherwise. Repeatable.\n"
                 "Example: --set /policy/name=round_robin --set /platform/sites/0/count=4")
      ->type_name("/POINTER=VALUE")
      ->allow_extra_args(false);  // one value per --set, so that SCENARIO may follow
  cmd.add_option("--seed", args.seed, "Random seed; same as --set /seed=N")->type_name("N");
}

// The scenario document with its overrides applied.
models::Json load_document(const ScenarioArgs& args)
{
  models::Json doc = models::load_json_file(args.file);
  std::vector<models::Override> overrides;
  for (const auto& s : args.sets)
    overrides.push_back(models::parse_override(s));
  if (args.seed)
    overrides.push_back(models::parse_override(fmt::format("/seed={}", *args.seed)));
  models::apply_overrides(doc, overrides);
  return doc;
}

// Validates; every problem is an InputError. A SimGrid XML platform is loaded here, with the run's
// SimGrid `settings`.
models::Scenario parse_document(const models::Json& doc, const ScenarioArgs& args,
                                const std::vector<std::string>& settings = {})
{
  models::Scenario scenario = models::parse_scenario(doc, args.file, sim::xml_platform_loader(settings));
  // Expectations must name values that summary.json will hold.
  const auto problems = models::unknown_metrics(scenario.expect, build_summary(scenario, sim::make_result_shell(scenario)));
  if (!problems.empty())
    throw models::InputError(args.file, problems);
  for (const auto& note : scenario.notes)
    std::cerr << fmt::format("{}: {}: note: {}\n", args.file, note.pointer, note.message);
  return scenario;
}

models::Scenario load_scenario(const ScenarioArgs& args) { return parse_document(load_document(args), args); }

// The name a document gives itself, if it is a plain string, before validation.
std::optional<std::string> peek_name(const models::Json& doc)
{
  if (doc.is_object() && doc.contains("name") && doc["name"].is_string() && !doc["name"].get<std::string>().empty())
    return doc["name"].get<std::string>();
  return std::nullopt;
}

bool names_simgrid_xml(const models::Json& doc)
{
  return doc.is_object() && doc.contains("platform") && doc["platform"].is_object() &&
         doc["platform"].contains("simgrid_xml");
}

struct TraceArgs {
  std::string file;
  std::string window;
  uint64_t limit = 1000000;
  std::string paje;
};

// "FROM:TO" in simulated time, either side optional ("10s:", ":2.5s", "1:2").
void parse_trace_window(const std::string& text, sim::TraceOptions& trace)
{
  const auto colon = text.find(':');
  if (colon == std::string::npos)
    throw models::InputError("--trace-window", text, "expected FROM:TO, e.g. 10s:12s, 10s: or :2s");
  auto read = [&](const std::string& part, double fallback) {
    if (part.empty())
      return fallback;
    const models::UnitParse parsed = models::parse_quantity(part, models::Quantity::time);
    if (!parsed.value)
      throw models::InputError("--trace-window", text, parsed.error);
    if (!std::isfinite(*parsed.value) || *parsed.value < 0)
      throw models::InputError("--trace-window", text, "times must be finite and >= 0");
    return *parsed.value;
  };
  trace.from = read(text.substr(0, colon), 0.0);
  trace.to   = read(text.substr(colon + 1), std::numeric_limits<double>::infinity());
  if (trace.to < trace.from)
    throw models::InputError("--trace-window", text, "the window ends before it starts");
}

// SimGrid's own tracing, in its Paje format: resource use of every host and link over time.
std::vector<std::string> paje_config(const std::string& file)
{
  return {"tracing:yes", "tracing/filename:" + file, "tracing/uncategorized:yes", "tracing/platform:yes"};
}

int run_command(const ScenarioArgs& args, const std::string& out_option, bool check, bool quiet,
                const std::vector<std::string>& cfg, const TraceArgs& trace)
{
  const models::Json doc = load_document(args);
  sim::RunOptions options;
  if (!trace.window.empty())
    parse_trace_window(trace.window, options.trace);
  std::unique_ptr<ResultsFolder> folder;
  std::string out;
  // The results folder, and the SimGrid settings that may write into it.
  auto prepare = [&](const std::string& name) {
    out    = out_option.empty() ? "results/runs/" + name : out_option;
    folder = std::make_unique<ResultsFolder>(out);
    remove_on_interrupt(folder->staging());
    options.task_log = folder->staging() / "tasks.csv";
    if (!trace.file.empty()) {
      options.trace.path       = folder->place(trace.file);
      options.trace.max_slices = trace.limit;
    }
    if (!trace.paje.empty()) {
      // SimGrid crashes when it cannot open its trace file: make sure it can, first.
      const auto paje = folder->place(trace.paje);
      std::error_code ec;
      if (paje.has_parent_path())
        std::filesystem::create_directories(paje.parent_path(), ec);
      if (!std::ofstream(paje, std::ios::binary))
        throw models::InputError("--paje", trace.paje, std::string("cannot write the file: ") + std::strerror(errno));
      options.simgrid_config = paje_config(paje.string());
    }
    options.simgrid_config.insert(options.simgrid_config.end(), cfg.begin(), cfg.end());
  };
  // SimGrid takes its settings when it loads a platform file, which happens while the scenario is
  // validated: the folder that a Paje trace goes into must exist by then.
  if (names_simgrid_xml(doc) && peek_name(doc))
    prepare(*peek_name(doc));
  const models::Scenario scenario = parse_document(doc, args, folder ? options.simgrid_config : cfg);
  if (!folder)
    prepare(scenario.name);
  throw_if_interrupted();
  const auto t0          = std::chrono::steady_clock::now();
  const sim::RunResult result = sim::run_simulation(scenario, options);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const models::Json summary = build_summary(scenario, result);
  folder->write("summary.json", summary.dump(2) + "\n");
  folder->write("nodes.csv", nodes_csv(scenario, result));
  folder->write("timeline.csv", timeline_csv(result));
  if (scenario.workload.has_federated())
    folder->write("federated.csv", federated_csv(scenario, result));
  if (scenario.faults.enabled)
    folder->write("events.csv", events_csv(scenario, result));
  throw_if_interrupted();
  folder->commit();
  if (!quiet)
    print_run_report(std::cout, scenario, result, wall, out);
  if (!trace.file.empty() && !quiet)
    fmt::print(std::cout, "trace: {} ({} slices)\n", trace.file, result.trace_slices);
  if (!trace.paje.empty() && !quiet)
    fmt::print(std::cout, "Paje trace: {}\n", trace.paje);
  if (result.trace_slices_dropped > 0)
    fmt::print(std::cerr,
               "leptonsim: the trace stopped at {} slices ({} more were not written); raise --trace-limit or narrow "
               "--trace-window\n",
               result.trace_slices, result.trace_slices_dropped);
  if (check) {
    const bool ok = print_check(std::cout, models::check_expectations(scenario.expect, summary));
    return ok ? exit_ok : exit_expect;
  }
  return exit_ok;
}

}  // namespace

int main(int argc, char** argv)
{
  CLI::App app{fmt::format(
      "leptonsim {}: discrete-event simulation of edge-cloud clusters on SimGrid {}.\n"
      "A scenario file describes sites, nodes, links, a workload and a load-balancing policy;\n"
      "leptonsim simulates it and sets the result beside the seed document's cost model\n"
      "T/sum(C_i) + S*eta, to show where that formula holds and where it breaks.",
      leptonsim::version, sim::simgrid_version())};
  app.name("leptonsim");
  app.set_version_flag("--version", fmt::format("leptonsim {} (built with SimGrid {})", leptonsim::version,
                                                sim::simgrid_release()));
  app.require_subcommand(1);
  app.footer("Exit codes: 0 ok, 1 an expectation failed (run --check), a sweep run failed or no planned value\n"
             "meets the objectives, 2 bad input or usage, 3 internal error, 128+N stopped by signal N (130 Ctrl-C,\n"
             "143 SIGTERM): a stopped run writes no results folder, a stopped sweep keeps its complete runs.\n"
             "Run 'leptonsim COMMAND --help' for the options of each command.");

  ScenarioArgs run_args;
  std::string out;
  bool check = false;
  bool quiet = false;
  std::vector<std::string> cfg;
  auto* run = app.add_subcommand("run", "Simulate a scenario and write its results folder");
  add_scenario_args(*run, run_args);
  run->add_option("--out,-o", out,
                  "Results folder (default: results/runs/<scenario name>). It is written under a temporary\n"
                  "name and renamed when complete; an earlier results folder there is replaced.")
      ->type_name("DIR");
  run->add_flag("--check", check, "Verify the scenario's \"expect\" bounds; exit 1 if one fails");
  run->add_flag("--quiet,-q", quiet, "Print nothing but check results and errors");
  run->add_option("--cfg", cfg, "Pass a setting to SimGrid, as name:value (e.g. --cfg network/weight-S:0)")
      ->type_name("NAME:VALUE");
  TraceArgs trace;
  auto* trace_option =
      run->add_option("--trace", trace.file,
                      "Write a trace of the run in Chrome's trace-event JSON, for the Perfetto UI\n"
                      "(ui.perfetto.dev) or chrome://tracing: a track per core, a slice per task and transfer")
          ->type_name("FILE");
  run->add_option("--trace-window", trace.window,
                  "Trace only what happens between two simulated times, as FROM:TO (10s:12s, :2s, 30s:)")
      ->type_name("FROM:TO")
      ->needs(trace_option);
  run->add_option("--trace-limit", trace.limit,
                  "Write at most N slices (default 1000000, about 170 MB; 0: no limit); the rest is counted")
      ->type_name("N")
      ->needs(trace_option);
  run->add_option("--paje", trace.paje,
                  "Also write SimGrid's own trace in Paje format (host and link use over time; large),\n"
                  "for Paje viewers such as ViTE; same as --cfg tracing:yes --cfg tracing/filename:FILE\n"
                  "--cfg tracing/uncategorized:yes --cfg tracing/platform:yes")
      ->type_name("FILE");
  run->footer("Example:\n  leptonsim run scenarios/smart_city_5m.json --check\n"
              "  leptonsim run scenarios/batch_heterogeneous.json --set /policy/name=round_robin --out /tmp/rr\n"
              "  leptonsim run scenarios/batch_heterogeneous.json --out /tmp/h --trace /tmp/h/trace.json\n"
              "Writes summary.json (headline metrics and the analytic predictions), nodes.csv,\n"
              "timeline.csv and tasks.csv (sampled for large runs); see docs/outputs.md.\n"
              "Figures: tools/plot gantt|timeline|model|sweep (docs/plots.md).");

  ScenarioArgs validate_args;
  auto* validate = app.add_subcommand("validate", "Check a scenario file without simulating it");
  add_scenario_args(*validate, validate_args);
  validate->footer("Every problem is reported as FILE: /json/pointer: message, and the exit code is 2.\n"
                   "Example:\n  leptonsim validate scenarios/smart_city_5m.json --set /workload/duration=10s");

  ScenarioArgs model_args;
  auto* model = app.add_subcommand("model", "Print the analytic predictions only (no simulation)");
  add_scenario_args(*model, model_args);
  model->footer("Prints, per batch job, the seed's formulas (balanced T/sum(C)+S*eta, literal N*T/sum(C)+S*eta,\n"
                "refined max(load_i/C_i)+S*eta) with eta from the network model, for streams the\n"
                "utilisation rho and whether the system is stable, and for federated jobs the round's\n"
                "closed form (download + compute + upload + aggregation) and the DP budget.\n"
                "Example:\n  leptonsim model scenarios/seed_example_4_3.json");

  ScenarioArgs platform_args;
  std::string xml_out;
  std::string scenario_out;
  auto* platform = app.add_subcommand("platform", "Write the platform a scenario builds as a SimGrid platform file");
  add_scenario_args(*platform, platform_args);
  platform->add_option("--xml", xml_out, "SimGrid platform XML (version 4.1) to write")->type_name("FILE")->required();
  platform->add_option("--scenario", scenario_out,
                       "Also write a copy of the scenario that reads its platform from that file\n"
                       "(\"platform\": {\"simgrid_xml\": ...}); it simulates the same runs")
      ->type_name("FILE");
  platform->footer("Any SimGrid program can load the file (Engine::load_platform). See docs/ecosystem.md.\n"
                   "Example:\n  leptonsim platform scenarios/smart_city_5m.json --xml city.xml --scenario city_xml.json");

  SweepArgs sweep_args;
  auto* sweep = add_sweep_command(app, sweep_args);
  PlanArgs plan_args;
  auto* plan = add_plan_command(app, plan_args);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return exit_input;
  }

  if (*run || *sweep || *plan)
    handle_stop_signals();
  try {
    if (*run)
      return run_command(run_args, out, check, quiet, cfg, trace);
    if (*validate) {
      print_validation(std::cout, load_scenario(validate_args));
      return exit_ok;
    }
    if (*model) {
      print_model_report(std::cout, load_scenario(model_args));
      return exit_ok;
    }
    if (*platform) {
      const models::Json doc          = load_document(platform_args);
      const models::Scenario scenario = parse_document(doc, platform_args);
      const auto counts               = export_platform(scenario, doc, xml_out, scenario_out);
      fmt::print(std::cout, "{}: {} hosts, {} links, {} routes\n", xml_out, counts.hosts, counts.links, counts.routes);
      if (!scenario_out.empty())
        fmt::print(std::cout, "{}: scenario {} reading its platform from it\n", scenario_out, scenario.name);
      return exit_ok;
    }

    if (*sweep)
      return sweep_command(sweep_args) == 0 ? exit_ok : exit_expect;
    if (*plan)
      return plan_command(plan_args) == 0 ? exit_ok : exit_expect;
  } catch (const models::InputError& e) {
    std::cerr << e.what() << "\n";
    return exit_input;
  } catch (const Interrupted& e) {
    std::cerr << "leptonsim: " << e.what() << "\n";
    return e.exit_code();
  } catch (const std::exception& e) {
    std::cerr << "leptonsim: internal error: " << e.what() << "\n";
    return exit_internal;
  }
  return exit_input;
}

}  // namespace leptonsim::cli
