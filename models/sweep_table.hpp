// The tables of a sweep: sweep.csv, one row per run (parameters, seed, metrics, status, error),
// and sweep_summary.csv, one row per point (mean, standard deviation and Student's t 95%
// interval of every metric across replications). Built from the runs' outcomes alone, so the
// same runs give the same bytes whatever order, machine or shard they ran in.
#pragma once

#include "models/json_input.hpp"
#include "models/sweep.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leptonsim::models {

enum class RunStatus {
  ok,       // the run wrote its results folder
  failed,   // it exited with an error (bad override, internal error): its stderr is the error
  crashed,  // a signal ended it
  timeout,  // it ran longer than the sweep's timeout and was killed
  missing,  // it has not run, or was interrupted and not rerun yet
};

const char* to_string(RunStatus status);
std::optional<RunStatus> run_status_from(std::string_view text);

struct RunRecord {
  RunStatus status = RunStatus::missing;
  std::string error;  // what went wrong, on one line
  Json summary;       // the run's summary.json when ok
};

// Folder of run `index` under the sweep's runs/ folder: "p0003-r1", zero-padded so that a
// listing sorts like sweep.csv.
std::string run_folder_name(const Sweep& sweep, size_t index);

// `runs` has one record per run of the sweep, in run order.
std::string sweep_csv(const Sweep& sweep, const std::vector<RunRecord>& runs);
std::string sweep_summary_csv(const Sweep& sweep, const std::vector<RunRecord>& runs);

// A parameter or metric value as text: strings bare (round_robin, 5s), null empty, anything else
// as JSON (4, true, {"name":"x"}).
std::string value_text(const Json& value);

// RFC 4180: quoted when it holds a comma, a quote or a line break.
std::string csv_field(std::string_view text);

}  // namespace leptonsim::models
