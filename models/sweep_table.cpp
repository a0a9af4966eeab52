#include "models/sweep_table.hpp"

#include "models/confidence.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <optional>

namespace leptonsim::models {
namespace {

std::string cell(const Json& value) { return csv_field(value_text(value)); }

const Json* find(const Json& doc, const std::string& pointer)
{
  const Json::json_pointer ptr(pointer);
  return doc.contains(ptr) ? &doc.at(ptr) : nullptr;
}

// Booleans count as 0 and 1, so that the mean of /metrics/overloaded is the share of overloaded
// replications; text and null are not numbers.
std::optional<double> numeric(const Json* value)
{
  if (!value)
    return std::nullopt;
  if (value->is_number())
    return value->get<double>();
  if (value->is_boolean())
    return value->get<bool>() ? 1.0 : 0.0;
  return std::nullopt;
}

std::string number(double value) { return fmt::format("{}", value); }

}  // namespace

const char* to_string(RunStatus status)
{
  switch (status) {
    case RunStatus::ok:
      return "ok";
    case RunStatus::failed:
      return "failed";
    case RunStatus::crashed:
      return "crashed";
    case RunStatus::timeout:
      return "timeout";
    case RunStatus::missing:
      return "missing";
  }
  return "?";
}

std::optional<RunStatus> run_status_from(std::string_view text)
{
  for (RunStatus s : {RunStatus::ok, RunStatus::failed, RunStatus::crashed, RunStatus::timeout, RunStatus::missing})
    if (text == to_string(s))
      return s;
  return std::nullopt;
}

std::string value_text(const Json& value)
{
  if (value.is_string())
    return value.get<std::string>();
  return value.is_null() ? std::string() : value.dump();
}

std::string csv_field(std::string_view text)
{
  if (text.find_first_of(",\"\r\n") == std::string_view::npos)
    return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"')
      out += '"';
    out += c;
  }
  return out + "\"";
}

std::string run_folder_name(const Sweep& sweep, size_t index)
{
  const SweepRun run             = sweep.run(index);
  const size_t point_width       = std::max<size_t>(4, std::to_string(sweep.point_count() - 1).size());
  const size_t replication_width = std::to_string(sweep.replications - 1).size();
  return fmt::format("p{:0{}}-r{:0{}}", run.point, point_width, run.replication, replication_width);
}

std::string sweep_csv(const Sweep& sweep, const std::vector<RunRecord>& runs)
{
  const auto params = sweep.parameters();
  std::string out   = "point,replication";
  for (const auto* p : params)
    out += "," + csv_field(p->name);
  out += ",seed";
  for (const auto& m : sweep.metrics)
    out += "," + csv_field(m.name);
  out += ",status,error,folder\n";

  for (size_t i = 0; i < runs.size(); ++i) {
    const SweepRun run = sweep.run(i);
    const auto& record = runs[i];
    out += fmt::format("{},{}", run.point, run.replication);
    for (const auto& v : sweep.point_values(run.point))
      out += "," + cell(v);
    out += fmt::format(",{}", sweep.replication_seed(run.replication));
    std::string error = record.error;
    for (const auto& m : sweep.metrics) {
      out += ",";
      if (record.status != RunStatus::ok)
        continue;
      if (const Json* v = find(record.summary, m.pointer))
        out += cell(*v);
      else
        error += (error.empty() ? "" : "; ") + fmt::format("summary.json has no value at {}", m.pointer);
    }
    out += fmt::format(",{},{},runs/{}\n", to_string(record.status), csv_field(error), run_folder_name(sweep, i));
  }
  return out;
}

std::string sweep_summary_csv(const Sweep& sweep, const std::vector<RunRecord>& runs)
{
  const auto params = sweep.parameters();
  std::string out   = "point";
  for (const auto* p : params)
    out += "," + csv_field(p->name);
  out += ",runs,ok_runs";
  for (const auto& m : sweep.metrics)
    for (const char* stat : {"_n", "_mean", "_sd", "_ci95_low", "_ci95_high"})
      out += "," + csv_field(m.name + stat);
  out += "\n";

  for (size_t point = 0; point < sweep.point_count(); ++point) {
    out += std::to_string(point);
    for (const auto& v : sweep.point_values(point))
      out += "," + cell(v);
    size_t ok = 0;
    for (size_t r = 0; r < sweep.replications; ++r)
      ok += runs[point * sweep.replications + r].status == RunStatus::ok;
    out += fmt::format(",{},{}", sweep.replications, ok);
    for (const auto& m : sweep.metrics) {
      std::vector<double> values;
      for (size_t r = 0; r < sweep.replications; ++r) {
        const auto& record = runs[point * sweep.replications + r];
        if (record.status != RunStatus::ok)
          continue;
        if (auto x = numeric(find(record.summary, m.pointer)))
          values.push_back(*x);
      }
      const SampleSummary s = summarize(values);
      out += fmt::format(",{}", s.n);
      out += "," + (s.n ? number(s.mean) : std::string());
      out += "," + (s.sd ? number(*s.sd) : std::string());
      out += "," + (s.ci95_half ? number(s.mean - *s.ci95_half) : std::string());
      out += "," + (s.ci95_half ? number(s.mean + *s.ci95_half) : std::string());
    }
    out += "\n";
  }
  return out;
}

}  // namespace leptonsim::models
