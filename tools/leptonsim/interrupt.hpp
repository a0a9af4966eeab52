// SIGINT and SIGTERM during `run` and `sweep`: the run stops, says so, and leaves no folder that
// looks complete. The handler only records the signal (sim/interrupt.hpp); code outside SimGrid
// checks the record and throws Interrupted, and the simulation, which cannot be unwound, removes
// the staging folder registered here and ends the process. A second signal kills at once; what it
// leaves is a hidden staging folder that the next run removes (ResultsFolder, SweepFolder).
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

namespace leptonsim::cli {

class Interrupted : public std::runtime_error {
public:
  explicit Interrupted(int signal);
  Interrupted(int signal, const std::string& what) : std::runtime_error(what), signal_(signal) {}
  int signal() const { return signal_; }
  int exit_code() const { return 128 + signal_; }  // as a shell reports a process a signal ended

private:
  int signal_;
};

// Installs the handlers for SIGINT and SIGTERM, and the simulation's stop action.
void handle_stop_signals();

// Throws Interrupted when a stop signal has arrived.
void throw_if_interrupted();

// The folder that a stop in the middle of the simulation removes before the process ends.
void remove_on_interrupt(const std::filesystem::path& folder);

// "SIGINT", "SIGTERM", ...
std::string signal_name(int signal);

}  // namespace leptonsim::cli
