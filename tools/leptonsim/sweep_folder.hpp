// The results folder of a sweep. It holds copies of the sweep and of its base scenario, so that a
// resumed sweep, a shard on a cluster node and --gather all read the same sweep whatever happened
// to the original files since; one results folder per run; why each failed run failed; and the
// two tables:
//   sweep.json, scenario/<file>.json, runs/p0000-r0/, runs/p0000-r0.failed.json, sweep.csv,
//   sweep_summary.csv, slurm/ (with --slurm)
// A run is complete when its folder has summary.json: `leptonsim run` renames the folder into
// place only when it is finished, so a run killed midway leaves none.
#pragma once

#include "models/sweep.hpp"
#include "models/sweep_table.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace leptonsim::cli {

class SweepFolder {
public:
  // Creates the folder for `sweep`, or reopens one an earlier attempt at the same sweep began.
  // Refuses (InputError) a folder that holds another sweep or anything that is not a sweep.
  static SweepFolder prepare(const std::filesystem::path& dir, const models::Sweep& sweep);
  // Opens a folder that `prepare` made (for --gather).
  static SweepFolder open(const std::filesystem::path& dir);

  // The sweep as read from the folder's own copy.
  const models::Sweep& sweep() const { return sweep_; }
  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path sweep_file() const { return dir_ / "sweep.json"; }
  std::filesystem::path run_dir(size_t index) const;
  bool complete(size_t index) const;

  // Removes what interrupted attempts at these runs left: staging folders of `leptonsim run`.
  void remove_leftovers(const std::vector<size_t>& indices) const;
  void record_failure(size_t index, models::RunStatus status, const std::string& error) const;
  void clear_failure(size_t index) const;

  // Every run's outcome as the folder records it now.
  std::vector<models::RunRecord> records() const;
  // Writes sweep.csv and sweep_summary.csv from records().
  std::vector<models::RunRecord> write_tables() const;

  // Makes messages independent of where the folder is, so that sweep.csv is the same wherever the
  // sweep ran: "/scratch/me/out/scenario/city.json: ..." becomes "scenario/city.json: ...".
  std::string without_folder(std::string text) const;

private:
  SweepFolder(std::filesystem::path dir, models::Sweep sweep) : dir_(std::move(dir)), sweep_(std::move(sweep)) {}
  std::filesystem::path failure_file(size_t index) const;

  std::filesystem::path dir_;
  models::Sweep sweep_;
};

// Writes through a temporary sibling and a rename, so that a reader never sees half a file.
void write_file_atomically(const std::filesystem::path& path, const std::string& content);

}  // namespace leptonsim::cli
