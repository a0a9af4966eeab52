#include "models/sweep.hpp"

#include "models/rng.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <filesystem>

namespace leptonsim::models {
namespace {

// Columns that sweep.csv writes itself; parameters and metrics must not take their names.
const std::vector<std::string> reserved_columns{"point", "replication", "seed", "status", "error", "folder"};

std::vector<std::string> pointer_tokens(const std::string& pointer)
{
  std::vector<std::string> tokens;
  size_t start = 1;
  while (start <= pointer.size()) {
    const size_t end = std::min(pointer.find('/', start), pointer.size());
    std::string token;
    for (size_t i = start; i < end; ++i) {
      if (pointer[i] == '~' && i + 1 < end) {
        token += pointer[i + 1] == '1' ? '/' : '~';
        ++i;
      } else {
        token += pointer[i];
      }
    }
    tokens.push_back(std::move(token));
    start = end + 1;
  }
  return tokens;
}

bool contains_pointer(const std::string& outer, const std::string& inner)
{
  return inner.size() > outer.size() && inner.compare(0, outer.size(), outer) == 0 && inner[outer.size()] == '/';
}

struct Claimed {
  std::string pointer;  // the scenario pointer set
  std::string where;    // the sweep file pointer that sets it
};

class SweepParser {
public:
  SweepParser(const Json& document, const std::string& file, const Json& scenario, const std::string& scenario_file)
      : document_(document), file_(file), working_(scenario)
  {
    sweep_.file              = file;
    sweep_.document          = document;
    sweep_.scenario_file     = scenario_file;
    sweep_.scenario_document = scenario;
  }

  Sweep parse()
  {
    ObjectReader root(document_, "", diags_,
                      {"name", "description", "scenario", "set", "grid", "zip", "replications", "seed", "metrics",
                       "timeout", "$schema"});
    if (!root.ok())
      throw InputError(file_, diags_.items());
    if (auto name = root.string("name", true)) {
      if (valid_identifier(*name))
        sweep_.name = *name;
      else
        root.error("name", "'" + *name + "' is not a valid name: " + identifier_rule);
    }
    if (auto description = root.string("description", false))
      sweep_.description = *description;
    const bool have_scenario = root.string("scenario", true).has_value();
    scenario_ok_             = have_scenario && working_.is_object();
    if (have_scenario && !working_.is_object())
      root.error("scenario", "the base scenario must be a JSON object, got " + type_name(working_));

    read_fixed(root);
    read_parameters(root, "grid", sweep_.grid);
    read_parameters(root, "zip", sweep_.zip);
    check_zip_lengths();
    if (auto r = root.integer("replications", false, 1, 100000))
      sweep_.replications = static_cast<size_t>(*r);
    read_seed(root);
    read_metrics(root);
    sweep_.timeout = root.quantity("timeout", Quantity::time, false, Range::positive(1e9));
    check_size();

    if (!diags_.empty())
      throw InputError(file_, diags_.items());
    return std::move(sweep_);
  }

private:
  const Json& document_;
  std::string file_;
  Json working_;  // the base scenario with "set" applied: what parameter pointers must fit
  bool scenario_ok_ = false;
  Diagnostics diags_;
  Sweep sweep_;
  std::vector<Claimed> claimed_;
  std::vector<std::pair<std::string, std::string>> columns_;  // name, where declared

  // Reports a pointer that cannot apply or that collides with another; true when it is usable.
  bool check_pointer(const std::string& pointer, const std::string& where)
  {
    if (scenario_ok_) {
      std::string problem = pointer_problem(working_, pointer, "the base scenario", true);
      if (problem.find("has nothing at") != std::string::npos && problem.find("did you mean") == std::string::npos)
        problem += " (to set a value inside an object the base scenario leaves out, create the object in the sweep's "
                   "\"set\", such as \"set\": {\"/policy\": {}})";
      if (problem.empty() && pointer == "/seed")
        problem = "every run's seed comes from the sweep's 'seed' and 'replications' keys, so /seed cannot be swept";
      if (!problem.empty()) {
        diags_.add(where, problem);
        return false;
      }
    }
    for (const auto& c : claimed_) {
      if (c.pointer == pointer) {
        diags_.add(where, fmt::format("{} is already set at {}", pointer, c.where));
        return false;
      }
      // Overrides apply in order ("set", then grid, then zip), so one inside an earlier one is
      // fine, but one that contains an earlier one would silently replace it.
      if (contains_pointer(pointer, c.pointer)) {
        diags_.add(where, fmt::format("{} contains {} set at {}, and would replace it", pointer, c.pointer, c.where));
        return false;
      }
    }
    claimed_.push_back({pointer, where});
    return true;
  }

  void claim_column(const std::string& name, const std::string& where)
  {
    const auto control = [](char c) { return static_cast<unsigned char>(c) < 0x20; };
    if (name.empty() || std::any_of(name.begin(), name.end(), control)) {
      diags_.add(where, "a column name must be non-empty text on one line");
      return;
    }
    if (std::find(reserved_columns.begin(), reserved_columns.end(), name) != reserved_columns.end()) {
      diags_.add(where, "'" + name + "' is a column sweep.csv writes itself; choose another name");
      return;
    }
    for (const auto& [other, other_where] : columns_) {
      if (other == name) {
        diags_.add(where, fmt::format("column name '{}' is already used by {}; give one of them a \"name\"", name,
                                      other_where));
        return;
      }
    }
    columns_.emplace_back(name, where);
  }

  void read_fixed(const ObjectReader& root)
  {
    const Json* set = root.object("set", false);
    if (!set)
      return;
    for (const auto& item : set->items()) {
      const std::string where = root.pointer_of("set") + "/" + escape_pointer_token(item.key());
      if (!check_pointer(item.key(), where))
        continue;
      Override o{item.key(), item.value(), item.value().dump()};
      if (scenario_ok_)
        apply_overrides(working_, {o});
      sweep_.fixed.push_back(std::move(o));
    }
  }

  void read_parameters(const ObjectReader& root, std::string_view key, std::vector<SweepParameter>& out)
  {
    const Json* list = root.array(key, false);
    if (!list)
      return;
    for (size_t i = 0; i < list->size(); ++i) {
      const std::string at = join_pointer(root.pointer_of(key), i);
      ObjectReader r((*list)[i], at, diags_, {"name", "pointer", "values"});
      if (!r.ok())
        continue;
      SweepParameter p;
      bool ok = false;
      if (auto pointer = r.string("pointer", true)) {
        p.pointer = *pointer;
        ok        = check_pointer(p.pointer, r.pointer_of("pointer"));
      }
      if (const Json* values = r.array("values", true)) {
        for (size_t v = 0; v < values->size(); ++v) {
          const auto first = std::find(values->begin(), values->begin() + static_cast<std::ptrdiff_t>(v), (*values)[v]);
          if (first != values->begin() + static_cast<std::ptrdiff_t>(v)) {
            diags_.add(join_pointer(r.pointer_of("values"), v),
                       fmt::format("{} is already at index {}: the two points would be the same", (*values)[v].dump(),
                                   first - values->begin()));
            ok = false;
          }
        }
        p.values.assign(values->begin(), values->end());
      } else {
        ok = false;
      }
      const auto name = r.string("name", false);
      p.name          = name ? *name : column_name_of(p.pointer);
      if (name || !p.pointer.empty())
        claim_column(p.name, name ? r.pointer_of("name") : r.pointer_of("pointer"));
      if (ok)
        out.push_back(std::move(p));
    }
  }

  // On the file's own lists, so that a zipped list dropped for another problem does not shift
  // the index this message names.
  void check_zip_lengths()
  {
    const Json* zip = document_.contains("zip") && document_["zip"].is_array() ? &document_["zip"] : nullptr;
    if (!zip)
      return;
    std::optional<size_t> length;
    for (size_t i = 0; i < zip->size(); ++i) {
      const Json& entry = (*zip)[i];
      if (!entry.is_object() || !entry.contains("values") || !entry["values"].is_array())
        continue;
      const size_t n = entry["values"].size();
      if (!length)
        length = n;
      else if (n != *length)
        diags_.add(join_pointer(join_pointer("/zip", i), "values"),
                   fmt::format("has {} values but the first zipped list has {}: zipped lists advance together, so "
                               "they must be equally long",
                               n, *length));
    }
  }

  void read_seed(const ObjectReader& root)
  {
    if (auto seed = root.integer("seed", false, 0, std::numeric_limits<int64_t>::max())) {
      sweep_.seed = static_cast<uint64_t>(*seed);
      return;
    }
    if (scenario_ok_ && working_.contains("seed") && working_["seed"].is_number_integer() &&
        working_["seed"].get<int64_t>() >= 0)
      sweep_.seed = working_["seed"].get<uint64_t>();
  }

  void read_metrics(const ObjectReader& root)
  {
    const Json* list = root.array("metrics", true);
    if (!list)
      return;
    for (size_t i = 0; i < list->size(); ++i) {
      const std::string at = join_pointer(root.pointer_of("metrics"), i);
      const Json& entry    = (*list)[i];
      SweepMetric m;
      std::string pointer_at = at;
      std::string name_at    = at;
      if (entry.is_string()) {
        m.pointer = entry.get<std::string>();
        m.name    = column_name_of(m.pointer);
      } else if (entry.is_object()) {
        ObjectReader r(entry, at, diags_, {"name", "pointer"});
        auto pointer = r.string("pointer", true);
        if (!pointer)
          continue;
        m.pointer        = *pointer;
        pointer_at       = r.pointer_of("pointer");
        const auto name  = r.string("name", false);
        m.name           = name ? *name : column_name_of(m.pointer);
        name_at          = name ? r.pointer_of("name") : pointer_at;
      } else {
        diags_.add(at, "must be a JSON pointer into summary.json (\"/metrics/latency_s/p99\") or "
                       "{\"name\": ..., \"pointer\": ...}, got " + type_name(entry));
        continue;
      }
      try {
        Json::json_pointer check(m.pointer);
      } catch (const Json::exception&) {
        diags_.add(pointer_at,
                   "'" + m.pointer + "' is not a JSON pointer into summary.json, such as /metrics/latency_s/p99");
        continue;
      }
      if (m.pointer.empty()) {
        diags_.add(pointer_at, "must name one value of summary.json, not the whole document");
        continue;
      }
      claim_column(m.name, name_at);
      sweep_.metrics.push_back(std::move(m));
    }
  }

  void check_size()
  {
    double runs = static_cast<double>(sweep_.replications);
    for (const auto& p : sweep_.grid)
      runs *= static_cast<double>(p.values.size());
    if (!sweep_.zip.empty())
      runs *= static_cast<double>(sweep_.zip.front().values.size());
    if (runs > static_cast<double>(max_sweep_runs))
      diags_.add("", fmt::format("the sweep has {:.0f} runs (points x replications); at most {} are allowed", runs,
                                 max_sweep_runs));
  }
};

}  // namespace

std::string pointer_problem(const Json& doc, const std::string& pointer, std::string_view what, bool may_extend)
{
  try {
    Json::json_pointer check(pointer);
  } catch (const Json::exception&) {
    return "'" + pointer + "' is not a JSON pointer (RFC 6901): it starts with '/' and writes '~' as '~0' and a '/' "
                           "inside a key as '~1'";
  }
  if (pointer.empty())
    return fmt::format("must name one value inside {}, not the whole document", what);
  const auto shown      = [](const std::string& p) { return p.empty() ? std::string("the top level") : p; };
  const auto tokens     = pointer_tokens(pointer);
  const Json* at        = &doc;
  std::string walked;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const std::string& token = tokens[i];
    const bool extends       = may_extend && i + 1 == tokens.size();
    if (at->is_object()) {
      auto it = at->find(token);
      if (it == at->end()) {
        if (extends)
          return "";  // a key the document leaves to its default
        std::vector<std::string> keys;
        for (const auto& item : at->items())
          keys.push_back(item.key());
        std::string message          = fmt::format("{} has nothing at {}", what, join_pointer(walked, token));
        const std::string suggestion = did_you_mean(token, keys);
        if (!suggestion.empty())
          message += "; did you mean " + join_pointer(walked, suggestion) + "?";
        return message;
      }
      at     = &*it;
      walked = join_pointer(walked, token);
    } else if (at->is_array()) {
      if (token == "-" && extends)
        return "";
      if (!is_array_index(token))
        return fmt::format("'{}' is not an index of the array at {}", token, shown(walked));
      const size_t index = std::stoul(token);
      if (index < at->size()) {
        at     = &(*at)[index];
        walked = join_pointer(walked, index);
      } else if (index == at->size() && extends) {
        return "";
      } else {
        return fmt::format("the array at {} has {} elements, so index {} is past its end", shown(walked), at->size(),
                           index);
      }
    } else {
      return fmt::format("{} has {} at {}, which cannot hold '{}'", what, type_name(*at), shown(walked), token);
    }
  }
  return "";
}

size_t Sweep::point_count() const
{
  size_t points = 1;
  for (const auto& p : grid)
    points *= p.values.size();
  if (!zip.empty())
    points *= zip.front().values.size();
  return points;
}

std::vector<const SweepParameter*> Sweep::parameters() const
{
  std::vector<const SweepParameter*> all;
  for (const auto& p : grid)
    all.push_back(&p);
  for (const auto& p : zip)
    all.push_back(&p);
  return all;
}

std::vector<Json> Sweep::point_values(size_t point) const
{
  size_t rest            = point;
  size_t zip_index       = 0;
  if (!zip.empty()) {
    zip_index = rest % zip.front().values.size();
    rest /= zip.front().values.size();
  }
  std::vector<size_t> grid_index(grid.size());
  for (size_t i = grid.size(); i-- > 0;) {
    grid_index[i] = rest % grid[i].values.size();
    rest /= grid[i].values.size();
  }
  std::vector<Json> values;
  for (size_t i = 0; i < grid.size(); ++i)
    values.push_back(grid[i].values[grid_index[i]]);
  for (const auto& p : zip)
    values.push_back(p.values[zip_index]);
  return values;
}

std::vector<Override> Sweep::run_overrides(size_t point) const
{
  std::vector<Override> overrides = fixed;
  const auto params               = parameters();
  const auto values               = point_values(point);
  for (size_t i = 0; i < params.size(); ++i)
    overrides.push_back({params[i]->pointer, values[i], values[i].dump()});
  return overrides;
}

uint64_t Sweep::replication_seed(size_t replication) const
{
  // Every point's replication r uses the same seed (common random numbers): differences between
  // points then come from the parameters, not from luck. The top bit is dropped because
  // scenario seeds are signed 64-bit integers.
  return derive_seed(seed, fmt::format("replication-{}", replication)) >> 1;
}

std::string Sweep::digest() const
{
  Json identity = document;
  if (identity.is_object())
    identity.erase("scenario");
  return fmt::format("{:016x}", fnv1a64(identity.dump() + "\n" + scenario_document.dump()));
}

Sweep parse_sweep(const Json& document, const std::string& file, const Json& scenario_document,
                  const std::string& scenario_file)
{
  return SweepParser(document, file, scenario_document, scenario_file).parse();
}

Sweep load_sweep(const std::string& path)
{
  namespace fs   = std::filesystem;
  const Json doc = load_json_file(path);
  Json scenario;
  std::string scenario_path;
  if (doc.is_object() && doc.contains("scenario") && doc["scenario"].is_string()) {
    fs::path p = doc["scenario"].get<std::string>();
    if (p.is_relative())
      p = fs::path(path).parent_path() / p;
    scenario_path = p.lexically_normal().string();
    std::error_code ec;
    if (!fs::is_regular_file(p, ec))
      throw InputError(path, "/scenario", "there is no scenario file at " + scenario_path +
                                               " (a relative path starts from the sweep file's folder)");
    scenario = load_json_file(scenario_path);
  }
  return parse_sweep(doc, path, scenario, scenario_path);
}

Shard parse_shard(const std::string& text)
{
  const auto slash = text.find('/');
  const auto digits = [](const std::string& s) {
    return !s.empty() && s.size() <= 9 && s.find_first_not_of("0123456789") == std::string::npos;
  };
  const std::string index = slash == std::string::npos ? text : text.substr(0, slash);
  const std::string count = slash == std::string::npos ? "" : text.substr(slash + 1);
  if (!digits(index) || !digits(count))
    throw InputError("--shard", text, "expected I/N, shard I of N counted from 1, such as 1/4");
  Shard s{std::stoul(index), std::stoul(count)};
  if (s.count == 0 || s.count > max_sweep_runs)
    throw InputError("--shard", text, fmt::format("the shard count N must be between 1 and {}", max_sweep_runs));
  if (s.index == 0 || s.index > s.count)
    throw InputError("--shard", text,
                     fmt::format("shard {} of {} does not exist: I must be between 1 and {}", s.index, s.count,
                                 s.count));
  return s;
}

std::string column_name_of(const std::string& pointer)
{
  std::string name;
  for (const auto& token : pointer_tokens(pointer))
    name += (name.empty() ? "" : ".") + token;
  return name;
}

}  // namespace leptonsim::models
