#include "tools/leptonsim/sweep_folder.hpp"

#include "models/json_input.hpp"

#include <fmt/format.h>

#include <cctype>
#include <fstream>
#include <set>
#include <sstream>
#include <unistd.h>

namespace leptonsim::cli {
namespace {

namespace fs = std::filesystem;
using models::InputError;
using models::Json;

// What prepare() itself creates; a folder holding only these is an attempt that was interrupted
// before sweep.json was written (or another shard creating the folder at the same moment).
bool is_own_entry(const std::string& name)
{
  static const std::set<std::string> own{"scenario", "runs", "slurm", "sweep.csv", "sweep_summary.csv"};
  return own.count(name) > 0 || (!name.empty() && name[0] == '.');
}

fs::path normalized(const fs::path& dir)
{
  fs::path p = dir.lexically_normal();
  if (!p.has_filename() && p.has_parent_path() && p != p.root_path())
    p = p.parent_path();
  return p;
}

std::string read_text(const fs::path& path)
{
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  if (!in && !in.eof())
    throw std::runtime_error("cannot read " + path.string());
  return s.str();
}

}  // namespace

void write_file_atomically(const fs::path& path, const std::string& content)
{
  const fs::path staging = path.parent_path() / fmt::format(".{}.tmp-{}", path.filename().string(), ::getpid());
  {
    std::ofstream out(staging, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.close();
    if (!out)
      throw std::runtime_error("cannot write " + staging.string());
  }
  std::error_code ec;
  fs::rename(staging, path, ec);
  if (ec)
    throw std::runtime_error("cannot rename " + staging.string() + " to " + path.string() + ": " + ec.message());
}

SweepFolder SweepFolder::prepare(const fs::path& dir_given, const models::Sweep& sweep)
{
  const fs::path dir = normalized(dir_given);
  std::error_code ec;
  if (fs::exists(dir, ec)) {
    if (!fs::is_directory(dir, ec))
      throw InputError(dir.string(), "", "exists and is not a folder; choose another --out");
    if (fs::exists(dir / "sweep.json", ec)) {
      SweepFolder existing = open(dir);
      if (existing.sweep_.digest() != sweep.digest())
        throw InputError(dir.string(), "",
                         fmt::format("holds the runs of another sweep (its sweep.json or base scenario differs from "
                                     "{}); choose another --out, or delete the folder to start over",
                                     sweep.file));
      return existing;
    }
    for (const auto& entry : fs::directory_iterator(dir))
      if (!is_own_entry(entry.path().filename().string()))
        throw InputError(dir.string(), "",
                         "exists and is not a sweep folder (it has no sweep.json); choose another --out");
  }
  fs::create_directories(dir / "scenario", ec);
  if (!ec)
    fs::create_directories(dir / "runs", ec);
  if (ec)
    throw InputError(dir.string(), "", "cannot create the folder: " + ec.message());

  const std::string scenario_name = fs::path(sweep.scenario_file).filename().string();
  write_file_atomically(dir / "scenario" / scenario_name, read_text(sweep.scenario_file));
  Json copy        = sweep.document;
  copy["scenario"] = "scenario/" + scenario_name;
  // Last: a folder with sweep.json is a sweep folder, complete with its copies.
  write_file_atomically(dir / "sweep.json", copy.dump(2) + "\n");
  return open(dir);
}

SweepFolder SweepFolder::open(const fs::path& dir_given)
{
  const fs::path dir = normalized(dir_given);
  std::error_code ec;
  if (!fs::exists(dir / "sweep.json", ec))
    throw InputError(dir.string(), "", "is not a sweep folder: it has no sweep.json");
  return SweepFolder(dir, models::load_sweep((dir / "sweep.json").string()));
}

fs::path SweepFolder::run_dir(size_t index) const
{
  return dir_ / "runs" / models::run_folder_name(sweep_, index);
}

fs::path SweepFolder::failure_file(size_t index) const
{
  return dir_ / "runs" / (models::run_folder_name(sweep_, index) + ".failed.json");
}

bool SweepFolder::complete(size_t index) const
{
  std::error_code ec;
  return fs::exists(run_dir(index) / "summary.json", ec);
}

void SweepFolder::remove_leftovers(const std::vector<size_t>& indices) const
{
  // `leptonsim run --out runs/NAME` stages its results in runs/.NAME.tmp-PID (and moves an older
  // folder aside as runs/.NAME.old-PID); a killed run leaves them behind.
  std::set<std::string> names;
  for (size_t i : indices)
    names.insert(models::run_folder_name(sweep_, i));
  std::error_code ec;
  std::vector<fs::path> doomed;
  for (const auto& entry : fs::directory_iterator(dir_ / "runs", ec)) {
    const std::string file = entry.path().filename().string();
    if (file.size() < 2 || file[0] != '.')
      continue;
    const auto mark = file.find(".tmp-") != std::string::npos ? file.find(".tmp-") : file.find(".old-");
    if (mark != std::string::npos && names.count(file.substr(1, mark - 1)))
      doomed.push_back(entry.path());
  }
  for (const auto& path : doomed)
    fs::remove_all(path, ec);
}

void SweepFolder::record_failure(size_t index, models::RunStatus status, const std::string& error) const
{
  const Json record{{"status", models::to_string(status)}, {"error", error}};
  write_file_atomically(failure_file(index), record.dump(2) + "\n");
}

void SweepFolder::clear_failure(size_t index) const
{
  std::error_code ec;
  fs::remove(failure_file(index), ec);
}

std::vector<models::RunRecord> SweepFolder::records() const
{
  std::vector<models::RunRecord> records(sweep_.run_count());
  for (size_t i = 0; i < records.size(); ++i) {
    auto& r = records[i];
    std::error_code ec;
    try {
      if (complete(i)) {
        r.summary = models::load_json_file((run_dir(i) / "summary.json").string());
        r.status  = models::RunStatus::ok;
      } else if (fs::exists(failure_file(i), ec)) {
        const Json record = models::load_json_file(failure_file(i).string());
        const auto status = record.is_object() && record.value("status", Json()).is_string()
                                ? models::run_status_from(record["status"].get<std::string>())
                                : std::nullopt;
        r.status          = status.value_or(models::RunStatus::failed);
        r.error           = record.is_object() && record.value("error", Json()).is_string()
                                ? record["error"].get<std::string>()
                                : std::string();
      }
    } catch (const InputError& e) {
      r.status = models::RunStatus::failed;
      r.error  = without_folder(e.what());
    }
  }
  return records;
}

std::vector<models::RunRecord> SweepFolder::write_tables() const
{
  auto runs = records();
  write_file_atomically(dir_ / "sweep.csv", models::sweep_csv(sweep_, runs));
  write_file_atomically(dir_ / "sweep_summary.csv", models::sweep_summary_csv(sweep_, runs));
  return runs;
}

std::string SweepFolder::without_folder(std::string text) const
{
  const std::string prefix = (dir_ / "").string();
  // Only where a path starts: "out/" must not be cut out of "/tmp/layout/".
  const auto starts_path = [&](size_t at) {
    if (at == 0)
      return true;
    const char c = text[at - 1];
    return !(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' || c == '/');
  };
  for (size_t at = text.find(prefix); at != std::string::npos; at = text.find(prefix, at)) {
    if (starts_path(at))
      text.erase(at, prefix.size());
    else
      ++at;
  }
  return text;
}

}  // namespace leptonsim::cli
